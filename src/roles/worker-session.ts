import type { Tool } from '../agent/index.ts';
import type { Lease, Task } from '../protocol/index.ts';
import type { Lander } from '../workspace/index.ts';
import { renderBriefing } from './briefing.ts';
import { createHandoffTool, formatHandoff } from './handoff-tool.ts';
import { createLandTool } from './land-tool.ts';
import type { LoadedPrompt } from './prompts.ts';
import { endReasonText, type RoleSession, type TaskSettlement } from './role-session.ts';
import { endOutcome, handoffRefusal, workerOutcome } from './worker-outcome.ts';

/** What a worker session is built from. */
export interface WorkerSessionOptions {
  task: Task;
  lease: Lease;
  agentId: string;
  prompt: LoadedPrompt;
  /** Workspace tools bound to the worker's own worktree. */
  workspaceTools: Tool[];
  worktreePath: string;
  lander: Lander;
  runChecks: boolean;
  goal: string;
  cycle: number;
  maxCycles: number;
}

/**
 * Builds a worker: the full tool set in its worktree, `land` and `handoff`. Its task is finished by
 * what it achieved, not by the tool it called last: a handoff is refused while its last `land` did
 * not land, unless it gives up.
 */
export function createWorkerSession(options: WorkerSessionOptions): RoleSession {
  const { task, lease } = options;
  const land = createLandTool({
    lander: options.lander,
    worktreePath: options.worktreePath,
    task: { runId: task.runId, taskId: task.id, fence: lease.fence, agentId: options.agentId },
    runChecks: options.runChecks,
  });
  const handoff = createHandoffTool({ refusal: () => handoffRefusal(land.state) });
  return {
    role: 'worker',
    system: options.prompt.text,
    briefing: renderBriefing({
      type: 'worker',
      goal: options.goal,
      runId: task.runId,
      cycle: options.cycle,
      maxCycles: options.maxCycles,
      taskId: task.id,
      title: task.title,
      spec: task.spec,
      acceptance: task.acceptance,
      scope: task.scope,
      attempt: task.attempts + 1,
    }),
    tools: [...options.workspaceTools, land.tool, handoff.tool],
    isFinished: () => workerOutcome(land.state, handoff.state.handoff).type !== 'working',
    settle(result): TaskSettlement {
      const text = handoff.state.handoff ? formatHandoff(handoff.state.handoff) : null;
      const { conflicts } = land.state;
      const outcome = endOutcome(land.state, handoff.state.handoff);
      switch (outcome.type) {
        case 'landed':
          return {
            type: 'complete',
            result: { commit: outcome.commit, source: outcome.source, conflicts },
            handoff: text ?? `Landed ${outcome.commit}; ended without a handoff (${endReasonText(result)}).`,
          };
        case 'already-done':
          return {
            type: 'complete',
            result: { commit: null, alreadyOnBranch: outcome.tip, conflicts },
            handoff: `Already done: the branch held this change (tip ${outcome.tip}); nothing was pushed.\n${text ?? `Ended without a handoff (${endReasonText(result)}).`}`,
          };
        case 'gave-up':
          // the handoff text opens with "Gave up: <reason>"; the task goes back while attempts remain
          return { type: 'fail', reason: text ?? `Gave up: ${outcome.reason}`, retryable: true };
        case 'working':
          return {
            type: 'fail',
            reason: `nothing landed: ${endReasonText(result)}${text ? `\n${text}` : ''}`,
            retryable: result.reason.type !== 'stopped',
          };
      }
    },
  };
}
