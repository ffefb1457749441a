import type { TaskBoard } from '../board/index.ts';
import { StaleFenceError } from '../board/index.ts';

/** Options for one process's share of the claim/complete workload. */
export interface ClaimWorkloadOptions {
  board: TaskBoard;
  runId: string;
  /** Concurrent claimers in this process. */
  workers: number;
  /** Lease owner names are `${ownerPrefix}-${index}`. */
  ownerPrefix: string;
  ttlMs: number;
  signal: AbortSignal;
  /** Called for every task this process completed, with the fence it held. */
  onCompleted?: (taskId: string, fence: number) => void;
}

/** What one process did. */
export interface ClaimWorkloadResult {
  completed: number;
  staleRejections: number;
}

/**
 * Claims and completes tasks until none is left: the loop a worker runs, with the model call
 * taken out, so the board's own cost is what is measured.
 */
export async function runClaimWorkload(options: ClaimWorkloadOptions): Promise<ClaimWorkloadResult> {
  const result: ClaimWorkloadResult = { completed: 0, staleRejections: 0 };
  const worker = async (index: number) => {
    const owner = `${options.ownerPrefix}-${index}`;
    while (!options.signal.aborted) {
      const lease = await options.board.claim({
        owner,
        ttlMs: options.ttlMs,
        filter: { runId: options.runId },
      });
      if (!lease) return;
      try {
        await options.board.complete({ taskId: lease.taskId, fence: lease.fence, result: { by: owner } });
        result.completed++;
        options.onCompleted?.(lease.taskId, lease.fence);
      } catch (error) {
        if (!(error instanceof StaleFenceError)) throw error;
        result.staleRejections++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  return result;
}

/** Creates a run with `tasks` no-op work tasks (in batches of 5,000) for a claim benchmark. */
export async function seedNoOpTasks(board: TaskBoard, tasks: number): Promise<string> {
  const run = await board.createRun({ goal: 'cadre bench board: claim and complete no-op tasks' });
  for (let offset = 0; offset < tasks; offset += 5000) {
    const count = Math.min(5000, tasks - offset);
    await board.createTasks(
      Array.from({ length: count }, (_, index) => ({
        runId: run.id,
        kind: 'work' as const,
        title: `no-op ${offset + index}`,
      })),
    );
  }
  return run.id;
}
