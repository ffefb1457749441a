import { StaleFenceError } from '../../board/index.ts';
import type { Git } from '../git/run-git.ts';
import { findTaskCommit } from './find-task-commit.ts';
import type { LandingBoard } from './lander-options.ts';

/** Whether a task may push: not landed yet and the lease still held, or why not. */
export type PriorLanding =
  | { type: 'none' }
  | { type: 'landed'; commit: string; source: 'board' | 'branch' }
  | { type: 'stale-fence'; message: string };

/** Options of checkPriorLanding. */
export interface PriorLandingRequest {
  board: LandingBoard;
  git: Git;
  /** A clone that has fetched the branch up to the end of `range`. */
  cwd: string;
  taskId: string;
  fence: number;
  /** `git log` revisions of the branch to search for the task's trailer. */
  range: readonly string[];
  signal: AbortSignal;
}

/**
 * The exactly-once check, run on the exact tip the next push builds on. The board's landing record
 * comes first. Then the branch: a commit with the task's trailer but no record means an earlier
 * attempt was killed after its push and before it recorded, so this attempt records that commit
 * (with its own, current fence) instead of pushing the work a second time. Last, the fence: a
 * lease that was lost never pushes. Because the push that follows is fast-forward only, nothing
 * can land between this check and the push without making the push fail and the check run again.
 */
export async function checkPriorLanding(request: PriorLandingRequest): Promise<PriorLanding> {
  const { board, taskId, fence, signal } = request;
  const recorded = await board.getLanding(taskId, { signal });
  if (recorded) return { type: 'landed', commit: recorded.commit, source: 'board' };
  const onBranch = await findTaskCommit({ ...request, range: request.range });
  try {
    if (onBranch) {
      const outcome = await board.recordLanding({ taskId, fence, commit: onBranch.commit }, { signal });
      return { type: 'landed', commit: outcome.landing.commit, source: 'branch' };
    }
    const task = await board.getTask(taskId, { signal });
    if (task.status !== 'leased' || task.fence !== fence) {
      throw new StaleFenceError(taskId, fence, task.fence, task.status);
    }
    return { type: 'none' };
  } catch (error) {
    if (error instanceof StaleFenceError) return { type: 'stale-fence', message: error.message };
    throw error;
  }
}
