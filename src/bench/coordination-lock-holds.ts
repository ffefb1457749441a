import type { BoardEvent } from '../protocol/index.ts';

/**
 * The mean time the flat peers' lock was held, from its row's `task.claimed` and `task.released`
 * events (a lock broken after its TTL is released by the waiter that broke it, so an expired hold
 * ends there too). A hold still open at the end is left out. Null when the lock was never released:
 * the model's lock hold (about three model calls) is checked against this, not assumed.
 */
export function meanLockHoldMs(events: readonly BoardEvent[], lockTaskId: string): number | null {
  let heldSince: number | null = null;
  let total = 0;
  let holds = 0;
  for (const event of events) {
    if (event.taskId !== lockTaskId) continue;
    if (event.type === 'task.claimed') heldSince = event.at;
    else if (event.type === 'task.released' && heldSince !== null) {
      total += event.at - heldSince;
      holds++;
      heldSince = null;
    }
  }
  return holds === 0 ? null : total / holds;
}
