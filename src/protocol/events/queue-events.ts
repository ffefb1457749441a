import { z } from 'zod';
import { CheckRunResult, QueueOutcome } from '../queue.ts';
import { eventOf, payload } from './define-event.ts';

/** Why a batch was built: a first try, a half of a failed batch, a retry of a flaky one, or a check of the tip. */
export const QueueBatchPurpose = z.enum(['batch', 'bisect', 'probe', 'tip']);

/**
 * The merge queue's events: the board appends `queue.submitted`, `queue.settled`, `queue.check-run`
 * and `queue.lease` with its writes; the queue runner appends the rest with appendEvent.
 */
export const queueEvents = [
  eventOf(
    'queue.submitted',
    payload({ entryId: z.string(), commit: z.string(), base: z.string(), files: z.array(z.string()) }),
  ),
  eventOf('queue.settled', payload({ entryId: z.string(), outcome: QueueOutcome })),
  eventOf(
    'queue.check-run',
    payload({
      checkRunId: z.string(),
      commit: z.string(),
      base: z.string(),
      entries: z.array(z.string()),
      result: CheckRunResult,
      flaky: z.boolean(),
      durationMs: z.number(),
      fixTaskId: z.string().nullable(),
    }),
  ),
  eventOf('queue.lease', payload({ owner: z.string(), fence: z.number() })),
  eventOf(
    'queue.batch',
    payload({
      batchId: z.string(),
      head: z.string(),
      base: z.string(),
      entries: z.array(z.string()),
      depth: z.number(),
      purpose: QueueBatchPurpose,
    }),
  ),
  eventOf(
    'queue.pushed',
    payload({
      commit: z.string(),
      previousTip: z.string(),
      entries: z.array(z.string()),
      checkRunId: z.string(),
    }),
  ),
  eventOf(
    'queue.red-tip',
    payload({
      tip: z.string(),
      checkRunId: z.string(),
      fixTaskId: z.string().nullable(),
      action: z.enum(['hold', 'continue']),
    }),
  ),
  eventOf('queue.held', payload({ reason: z.string() })),
  eventOf('queue.resumed', payload({})),
] as const;
