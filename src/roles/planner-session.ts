import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tool } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import { type Lease, scopeRoot, type Task } from '../protocol/index.ts';
import { renderBriefing } from './briefing.ts';
import { createPlannerTools, type PlanningLimits } from './planner-tools.ts';
import type { LoadedPrompt } from './prompts.ts';
import { endReasonText, type RoleSession } from './role-session.ts';
import type { Verdict } from './verdict.ts';

/** What a planner session is built from. */
export interface PlannerSessionOptions {
  board: TaskBoard;
  task: Task;
  lease: Lease;
  prompt: LoadedPrompt;
  /** Read-only tools bound to the planner's checkout. */
  readTools: Tool[];
  goal: string;
  cycle: number;
  maxCycles: number;
  limits: PlanningLimits;
  previousVerdict: Verdict | null;
  /** The planner's checkout; the top of its scope goes into the briefing. */
  worktreePath?: string;
  /** Called after each task the planner files, so idle workers wake at once. */
  onFiled?: () => void;
  signal?: AbortSignal;
}

function depthOf(task: Task, tasksById: ReadonlyMap<string, Task>): number {
  let depth = 0;
  let parent = task.parentId ? tasksById.get(task.parentId) : undefined;
  while (parent && parent.kind === 'plan') {
    depth++;
    parent = parent.parentId ? tasksById.get(parent.parentId) : undefined;
  }
  return depth;
}

const largestLayout = 200;

/**
 * The entries at the top of a scope, as list_dir shows them: every planner's first call would be to
 * list them, and at a model call per step that listing is worth putting into the briefing.
 */
export async function scopeLayout(worktreePath: string, scope: readonly string[]): Promise<string[]> {
  const root = scopeRoot(scope).replace(/\/$/, '');
  try {
    const entries = await readdir(join(worktreePath, root), { withFileTypes: true });
    const names = entries
      .filter((entry) => !entry.name.startsWith('.'))
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
    return names.length > largestLayout
      ? [...names.slice(0, largestLayout), `(${names.length - largestLayout} more entries)`]
      : names;
  } catch {
    // a scope that names no directory yet (new work) has no layout; the planner lists or creates it
    return [];
  }
}

/** Builds a planner: read-only tools plus the board's planning tools, briefed with its scope and depth. */
export async function createPlannerSession(options: PlannerSessionOptions): Promise<RoleSession> {
  const { task } = options;
  const ancestors = new Map<string, Task>();
  let parentId = task.parentId;
  while (parentId) {
    const parent = await options.board.getTask(parentId, { signal: options.signal });
    ancestors.set(parent.id, parent);
    parentId = parent.parentId;
  }
  const depth = depthOf(task, ancestors);
  const layout = options.worktreePath ? await scopeLayout(options.worktreePath, task.scope) : [];
  // what happened before the session began is in the briefing and the listings, not news to wait for
  const afterSeq = await options.board.lastEventSeq({ runId: task.runId }, { signal: options.signal });
  const planner = createPlannerTools({
    board: options.board,
    planTask: task,
    depth,
    limits: options.limits,
    agentId: options.lease.owner,
    afterSeq,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const notifying: Tool[] = planner.tools.map((tool) =>
    tool.name === 'create_task' || tool.name === 'spawn_subplanner'
      ? {
          ...tool,
          async execute(input, context) {
            const outcome = await tool.execute(input, context);
            if (outcome.type === 'success') options.onFiled?.();
            return outcome;
          },
        }
      : tool,
  );
  return {
    role: 'planner',
    system: options.prompt.text,
    briefing: renderBriefing({
      type: 'planner',
      goal: options.goal,
      runId: task.runId,
      cycle: options.cycle,
      maxCycles: options.maxCycles,
      taskId: task.id,
      scope: task.scope,
      brief: task.spec || 'Plan the whole goal.',
      depth,
      maxDepth: options.limits.maxDepth,
      previousVerdict: options.previousVerdict,
      layout,
    }),
    tools: [...options.readTools, ...notifying],
    isFinished: () => planner.state.finished !== null,
    settle(result) {
      const { state } = planner;
      if (state.finished || state.filed.length > 0 || state.subplanners.length > 0) {
        return {
          type: 'complete',
          result: {
            summary: state.finished?.summary ?? `ended before finishing: ${endReasonText(result)}`,
            filed: state.filed,
            subplanners: state.subplanners,
          },
          handoff: state.finished?.summary ?? null,
        };
      }
      return { type: 'fail', reason: `planned nothing: ${endReasonText(result)}`, retryable: true };
    },
  };
}
