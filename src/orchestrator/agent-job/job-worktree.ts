import type { ToolContext } from '../../agent/index.ts';
import { describeReadyReport, type SetupFailedError, type Worktree } from '../../workspace/index.ts';
import { settleFenced } from '../board-retry.ts';
import { recordSetup } from './job-events.ts';
import type { JobState } from './job-state.ts';

/** Gives the agent a fresh worktree and records that it was made ready (when the fleet readies them). */
export async function openWorktree(state: JobState): Promise<Worktree> {
  const { deps, job } = state;
  const worktree = await deps.worktrees.create({ label: job.agentId, signal: state.controller.signal });
  state.worktree = worktree;
  if (worktree.ready) {
    recordSetup(state, 'create', worktree.name, worktree.ready.readyMs, worktree.ready.report);
    job.onSetup?.({ type: 'ready' });
  }
  return worktree;
}

/** Before each shell command: ready again when the agent (or a landing) changed the lock files. */
export function refreshBeforeCommands(
  state: JobState,
  worktree: Worktree,
): Pick<ToolContext, 'prepareCommand'> {
  const { ready } = state.deps;
  if (!ready) return {};
  const prepareCommand = async (signal: AbortSignal): Promise<string[]> => {
    const started = performance.now();
    const report = await ready.refresh(worktree.path, signal);
    if (!report) return [];
    recordSetup(state, 'refresh', worktree.name, Math.round(performance.now() - started), report);
    return [describeReadyReport(report)];
  };
  return { prepareCommand };
}

/**
 * The worktree could not be made ready: the environment's fault, not the agent's, so the task goes
 * back open without using an attempt, and the fleet hears of the failure (failures in a row pause it).
 */
export async function releaseAfterSetupFailure(state: JobState, error: SetupFailedError): Promise<void> {
  const { deps, job, fenced } = state;
  recordSetup(state, 'create', null, error.report.setupMs, error.report);
  deps.log?.(
    `worktree setup for task ${job.task.id} failed: ${error.report.reason}; the task goes back open`,
  );
  await settleFenced(deps.board, { ...fenced, settled: 'any' }, () => deps.board.release(fenced)).catch(
    () => {},
  );
  job.onSetup?.({ type: 'failed', reason: error.report.reason });
}
