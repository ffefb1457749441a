import type { TaskStatus } from '../protocol/index.ts';
import { listAllTasks } from './read-all.ts';
import type { TaskBoard } from './task-board.ts';

/** What the event log says about how a run's tasks were claimed and completed. */
export interface LeaseAudit {
  tasks: number;
  done: number;
  /** Tasks with more than one `task.completed` event: work counted twice. */
  completedMoreThanOnce: number;
  /** Tasks that were leased to two owners at once (a claim while an earlier lease was still live). */
  doubleClaims: number;
  /** Tasks that are not done at the end. */
  notDone: number;
  /** Events whose type is `task.expired`: leases the reaper took back. */
  expired: number;
  /** Tasks whose stored status differs from the status their events lead to. */
  statusMismatches: number;
}

const statusAfter: Record<string, TaskStatus> = {
  'task.created': 'open',
  'task.claimed': 'leased',
  'task.completed': 'done',
  'task.expired': 'open',
  'task.released': 'open',
  'task.retrying': 'open',
  'task.failed': 'failed',
  'task.cancelled': 'cancelled',
};

/**
 * Replays a run's log to check exactly-once (every task claimed by one owner at a time, completed
 * once, done at the end) and that every task row agrees with its own events, which holds only
 * if each change and its event were committed together.
 */
export async function auditLeases(
  board: TaskBoard,
  runId: string,
  signal?: AbortSignal,
): Promise<LeaseAudit> {
  const live = new Map<string, boolean>();
  const derived = new Map<string, TaskStatus>();
  const completions = new Map<string, number>();
  let doubleClaims = 0;
  let expired = 0;
  let afterSeq = 0;
  for (;;) {
    const events = await board.readEvents(
      {
        runId,
        afterSeq,
        limit: 10_000,
        types: Object.keys(statusAfter),
      },
      { signal },
    );
    if (events.length === 0) break;
    for (const event of events) {
      afterSeq = event.seq;
      const taskId = event.taskId;
      if (!taskId) continue;
      const status = statusAfter[event.type];
      if (status) derived.set(taskId, status);
      switch (event.type) {
        case 'task.created':
          live.set(taskId, false);
          break;
        case 'task.claimed':
          if (live.get(taskId)) doubleClaims++;
          live.set(taskId, true);
          break;
        case 'task.completed':
          completions.set(taskId, (completions.get(taskId) ?? 0) + 1);
          live.set(taskId, false);
          break;
        case 'task.expired':
          expired++;
          live.set(taskId, false);
          break;
        default:
          live.set(taskId, false);
      }
    }
  }
  let statusMismatches = 0;
  for (const task of await listAllTasks(board, { runId }, signal)) {
    if (derived.get(task.id) !== task.status) statusMismatches++;
  }
  const counts = await board.countTasks(runId, { signal });
  const tasks = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return {
    tasks,
    done: counts.done,
    completedMoreThanOnce: [...completions.values()].filter((count) => count > 1).length,
    doubleClaims,
    notDone: tasks - counts.done,
    expired,
    statusMismatches,
  };
}
