import { StaleFenceError } from '../../board/index.ts';
import { reportUnsettled } from './job-events.ts';
import type { JobState } from './job-state.ts';
import { giveBack } from './settle-job.ts';

/**
 * Bookkeeping after the task is settled: commits a deferred settlement, then stores the agent's final
 * status and removes its worktree once its events are stored; they queue in order on the board.
 */
export async function closeJob(state: JobState): Promise<void> {
  const { deps, job, result } = state;
  const { worktree } = state;
  await commitDeferredSettlement(state);
  const status =
    result === null ? 'failed' : state.failed ? (job.signal.aborted ? 'stopped' : 'failed') : 'done';
  await Promise.all([
    ...state.pendingEvents,
    deps.board
      .updateAgent({ agentId: job.agentId, patch: { status, ...(result ? { usage: result.totals } : {}) } })
      .catch(() => {}),
    worktree
      ? deps.worktrees
          .release(worktree, { failed: state.failed, signal: new AbortController().signal })
          .catch((error: unknown) =>
            deps.log?.(`could not remove worktree ${worktree.path}: ${(error as Error).message}`),
          )
      : undefined,
  ]);
}

/** Awaits the settlement the job left queued; a crash of it gives the task back like a crash of the agent. */
async function commitDeferredSettlement(state: JobState): Promise<void> {
  if (!state.deferredSettlement) return;
  try {
    state.failed = !(await state.deferredSettlement);
  } catch (error) {
    if (error instanceof StaleFenceError) reportUnsettled(state, error.message);
    else {
      state.deps.log?.(
        `could not settle task ${state.job.task.id} of ${state.job.agentId}: ${(error as Error).message}`,
      );
      await giveBack(state, error);
    }
  }
}
