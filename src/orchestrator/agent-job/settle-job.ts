import type { AgentResult } from '../../agent/index.ts';
import { StaleFenceError } from '../../board/index.ts';
import type { RoleSession, TaskSettlement } from '../../roles/index.ts';
import { SetupFailedError } from '../../workspace/index.ts';
import { settleFenced } from '../board-retry.ts';
import type { AgentJobResult } from './agent-job-types.ts';
import { reportUnsettled } from './job-events.ts';
import type { JobState } from './job-state.ts';
import { releaseAfterSetupFailure } from './job-worktree.ts';

/**
 * Once the agent ended: asks its role for the settlement and queues it on the board — awaited, or
 * left to the job's closing when the job was given `defer`. A lost lease settles nothing.
 */
export async function settleJob(
  state: JobState,
  session: RoleSession,
  result: AgentResult,
): Promise<AgentJobResult> {
  // an agent whose registration failed was stopped by it; its task goes back like a crash
  await state.registration;
  const requested = session.settle(result);
  state.requested = requested;
  if (state.lease.lost) {
    reportUnsettled(state, 'the lease was lost while the agent ran');
    return leaseLost(state);
  }
  // no wait for the agent's pending events: the settlement queues behind them and commits after
  const settling = settleTask(state, requested);
  if (state.job.defer) {
    // queued already; the slot's next claim commits with it or after it
    state.deferredSettlement = settling;
    return { settlement: requested, requested, result };
  }
  state.failed = !(await settling);
  return { settlement: requested, requested, result };
}

/**
 * What a throw of the job's steps means: a refused settlement is reported and ends the job as
 * `lease-lost`; a failed worktree setup, a crash of the agent or of its settlement give the task
 * back and rethrow.
 */
export async function handleJobError(state: JobState, error: unknown): Promise<AgentJobResult> {
  if (error instanceof StaleFenceError) {
    reportUnsettled(state, error.message);
    return leaseLost(state);
  }
  if (error instanceof SetupFailedError) {
    await releaseAfterSetupFailure(state, error);
    throw error;
  }
  await giveBack(state, error);
  throw error;
}

/** The job's result when the board refused (or was never asked for) the settlement. */
function leaseLost(state: JobState): AgentJobResult {
  return { settlement: { type: 'lease-lost' }, requested: state.requested, result: state.result };
}

/** Completes, fails or hands back the task; true when it is done. */
async function settleTask(state: JobState, settlement: TaskSettlement): Promise<boolean> {
  const { deps, job, fenced } = state;
  const { board } = deps;
  switch (settlement.type) {
    case 'complete':
      await settleFenced(board, { ...fenced, settled: 'done' }, () =>
        board.complete({ ...fenced, result: settlement.result, handoff: settlement.handoff }),
      );
      return true;
    case 'fail':
      // stopped with its process (SIGTERM, run stop): the task goes back without using an attempt
      if (job.signal.aborted)
        await settleFenced(board, { ...fenced, settled: 'any' }, () => board.release(fenced));
      else
        await settleFenced(board, { ...fenced, settled: 'any' }, () =>
          board.fail({ ...fenced, reason: settlement.reason, retryable: settlement.retryable }),
        );
      return false;
  }
}

/** After a crash of the agent or of its settlement: the task goes back, retryable. */
export async function giveBack(state: JobState, error: unknown): Promise<void> {
  const { deps, job, fenced } = state;
  const { board } = deps;
  const back = job.signal.aborted
    ? () => board.release(fenced)
    : () => board.fail({ ...fenced, reason: `agent crashed: ${(error as Error).message}`, retryable: true });
  await settleFenced(board, { ...fenced, settled: 'any' }, back).catch(() => {});
}
