import { z } from 'zod';
import { CycleStatus } from '../run.ts';
import { eventOf, payload } from './define-event.ts';

/** The `cycle.*` events, and the judge bookkeeping of a cycle. */
export const cycleEvents = [
  eventOf('cycle.started', payload({ cycleId: z.string(), n: z.number() })),
  /** `verdict` is whatever the cycle holds (see Cycle.verdict); old logs may hold any JSON there. */
  eventOf(
    'cycle.updated',
    payload({ cycleId: z.string(), n: z.number(), status: CycleStatus, verdict: z.unknown() }),
  ),
  /**
   * Legacy (schema version 2 and earlier): the commit a cycle started from. Now the `base_commit`
   * column of `cycles`; kept so old logs read as known events.
   */
  eventOf('cycle.base', payload({ cycleId: z.string(), commit: z.string() })),
  /** A judge task of an earlier attempt found open and cancelled. */
  eventOf('judge.stray-cancelled', payload({ reason: z.string() })),
] as const;
