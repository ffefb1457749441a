import { createBoardInbox, createToolCounters } from '../../agent/index.ts';
import type { Worktree } from '../../workspace/index.ts';
import type { JobState } from './job-state.ts';

/** The tools' context of a job's agent in its worktree, with fresh counters. */
export function jobToolContext(state: JobState, worktree: Worktree) {
  return {
    worktreeRoot: worktree.path,
    resolvedWorktreeRoot: worktree.realPath,
    counters: createToolCounters(),
    config: state.deps.toolConfig,
  };
}

/** The agent's inbox: the fleet's shared poller when there is one, else the board read by the agent. */
export function jobInbox(state: JobState) {
  const { job } = state;
  return job.inbox
    ? job.inbox.forAgent(job.agentId)
    : createBoardInbox(state.deps.board, { type: 'agent', runId: job.task.runId, agentId: job.agentId });
}
