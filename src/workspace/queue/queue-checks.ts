import { emitQueueEvent, type QueueContext } from './queue-context.ts';
import type { CheckPurpose } from './queue-plan.ts';

/** A finished check of some queued entries applied onto the tip. */
export interface EntriesCheck {
  passed: boolean;
  checkRunId: string;
}

/** What to check: the commit holding the entries on top of `base`, and how to record it. */
export interface CheckRequest {
  head: string;
  base: string;
  entryIds: string[];
  purpose: CheckPurpose;
  /** Record a pass as flaky: these exact entries failed before. */
  flakyIfPassed: boolean;
}

/** Checks out `head` in a free slot, runs the checks, and records the run on the board. */
export async function checkHead(
  queue: QueueContext,
  request: CheckRequest,
  signal: AbortSignal,
): Promise<EntriesCheck> {
  const { head, base, entryIds, purpose } = request;
  await emitQueueEvent(
    queue,
    {
      runId: queue.runId,
      type: 'queue.batch',
      payload: { batchId: queue.newId(), head, base, entries: entryIds, depth: entryIds.length, purpose },
    },
    signal,
  );
  const result = await queue.slots.check(head, signal);
  const passed = result.type === 'passed';
  const flaky = passed && request.flakyIfPassed;
  const run = await queue.board.recordCheckRun(
    {
      runId: queue.runId,
      queueFence: queue.fence,
      commit: head,
      base,
      entryIds,
      result: result.type,
      flaky,
      durationMs: result.durationMs,
      output: result.type === 'passed' ? '' : result.output,
    },
    { signal },
  );
  if (flaky) queue.log(`merge queue: ${entryIds.join(', ')} failed once and passed again: flaky`);
  return { passed, checkRunId: run.id };
}
