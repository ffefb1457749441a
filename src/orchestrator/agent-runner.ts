import type { AgentJob, AgentJobResult } from './agent-job/agent-job-types.ts';
import { closeJob } from './agent-job/close-job.ts';
import { releaseJob, startJob } from './agent-job/job-state.ts';
import { openWorktree } from './agent-job/job-worktree.ts';
import { runJobLoop } from './agent-job/run-job-loop.ts';
import { handleJobError, settleJob } from './agent-job/settle-job.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';

export type {
  AgentJob,
  AgentJobResult,
  ModelCallOutcome,
  SetupOutcome,
} from './agent-job/agent-job-types.ts';

/**
 * Runs one agent on one leased task: registers it, gives it a fresh worktree, keeps its lease alive,
 * stores its events, and settles the task (complete, fail or — when the lease was lost — nothing).
 * Every throw of a step is judged once, here; the closing runs whatever happened (or is deferred).
 */
export async function runAgentJob(deps: FleetDependencies, job: AgentJob): Promise<AgentJobResult> {
  const state = startJob(deps, job);
  try {
    const worktree = await openWorktree(state);
    const session = await job.session(worktree);
    state.result = await runJobLoop(state, worktree, session);
    return await settleJob(state, session, state.result);
  } catch (error) {
    return await handleJobError(state, error);
  } finally {
    releaseJob(state);
    const closing = closeJob(state);
    if (job.defer) job.defer(closing);
    else await closing;
  }
}
