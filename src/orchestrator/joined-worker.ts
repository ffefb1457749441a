import { keepDiscovering } from './joined-worker/discover-runs.ts';
import { runJoinedSlot } from './joined-worker/joined-slot.ts';
import { createJoinedWorker, stopJoinedWorker } from './joined-worker/joined-worker-state.ts';
import type { JoinedWorkerOptions, JoinedWorkerSummary } from './joined-worker/joined-worker-types.ts';

export type { JoinedWorkerOptions, JoinedWorkerSummary } from './joined-worker/joined-worker-types.ts';

/**
 * `cadre worker`: joins live runs on a shared board from any machine. Up to `maxAgents` slots claim
 * plan or work tasks of the runs served and run one fresh agent per task (the same slot loop and
 * agent runner as the run's own process), in worktrees cloned from each run's hub. Waits on the
 * board's events when there is no work yet; returns when the served runs end (unless `stay`) or the
 * signal aborts.
 */
export async function runJoinedWorker(options: JoinedWorkerOptions): Promise<JoinedWorkerSummary> {
  const worker = createJoinedWorker(options);
  try {
    await Promise.all([
      keepDiscovering(worker),
      ...Array.from({ length: options.maxAgents }, () => runJoinedSlot(worker)),
    ]);
  } finally {
    await stopJoinedWorker(worker);
  }
  return worker.summary;
}
