import type { Tool } from '../agent/index.ts';
import type { Lease, Task } from '../protocol/index.ts';
import type { Lander } from '../workspace/index.ts';
import { renderBriefing } from './briefing.ts';
import { createHandoffTool, formatHandoff } from './handoff-tool.ts';
import { createLandTool } from './land-tool.ts';
import type { LoadedPrompt } from './prompts.ts';
import { endReasonText, type RoleSession } from './role-session.ts';

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

/** Builds a worker: the full tool set in its worktree, `land` and `handoff`. */
export function createWorkerSession(options: WorkerSessionOptions): RoleSession {
  const { task, lease } = options;
  const land = createLandTool({
    lander: options.lander,
    worktreePath: options.worktreePath,
    task: { runId: task.runId, taskId: task.id, fence: lease.fence, agentId: options.agentId },
    runChecks: options.runChecks,
  });
  const handoff = createHandoffTool();
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
    isFinished: () => handoff.state.handoff !== null,
    settle(result) {
      const text = handoff.state.handoff ? formatHandoff(handoff.state.handoff) : null;
      if (land.state.landed) {
        return {
          type: 'complete',
          result: {
            commit: land.state.landed.commit,
            source: land.state.landed.source,
            conflicts: land.state.conflicts,
          },
          handoff:
            text ?? `Landed ${land.state.landed.commit}; ended without a handoff (${endReasonText(result)}).`,
        };
      }
      return {
        type: 'fail',
        reason: `nothing landed: ${endReasonText(result)}${text ? `\n${text}` : ''}`,
        retryable: result.reason.type !== 'stopped',
      };
    },
  };
}
