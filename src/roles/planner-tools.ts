import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { NotFoundError, type TaskBoard } from '../board/index.ts';
import type { Sleep } from '../llm/index.ts';
import { type Clock, ScopeGlob, scopeRoot, type Task, TaskId } from '../protocol/index.ts';
import { createDuplicateFinder } from './duplicate-task.ts';
import { createListTasksTool } from './list-tasks-tool.ts';
import { createReadHandoffsTool } from './read-handoffs-tool.ts';
import { createWaitForChangesTool } from './wait-for-changes-tool.ts';

const createTaskInput = z.object({
  title: z.string().min(1).max(500).describe('the outcome, e.g. "Add retry with backoff to the HTTP client"'),
  spec: z.string().min(1).max(100_000).describe('what to do: files, behaviour wanted, constraints'),
  acceptance: z.string().min(1).max(20_000).describe('how to check it is done: tests, commands'),
  scope: z
    .array(ScopeGlob)
    .min(1)
    .max(50)
    .describe('path globs the task will change, e.g. ["src/http/**"]; inside your scope'),
  priority: z.int().min(-100).max(100).default(0).describe('higher runs first; default 0'),
  depends_on: z
    .array(TaskId)
    .max(50)
    .default([])
    .describe('ids of tasks that must be done before this one starts'),
});

const spawnSubplannerInput = z.object({
  scope: z.array(ScopeGlob).min(1).max(50).describe('path globs of the area, e.g. ["src/ui/**"]'),
  brief: z.string().min(1).max(20_000).describe('what the area must achieve for the goal'),
});

const finishPlanningInput = z.object({
  summary: z.string().min(1).max(20_000).describe('what you filed and why the goal is covered in your scope'),
});

/** Limits that keep a planner tree from growing without bound. */
export interface PlanningLimits {
  /** Deepest sub-planner level (the root planner is depth 0). */
  maxDepth: number;
  /** Sub-planners one planner may spawn. */
  maxSubplanners: number;
  /** Work tasks one planner may file. */
  maxTasks: number;
}

/** What the planner tools act for. */
export interface PlannerToolsOptions {
  board: TaskBoard;
  /** The planner's own plan task: new tasks hang under it and share its run and cycle. */
  planTask: Task;
  depth: number;
  limits: PlanningLimits;
  /** The planner's agent id (its lease owner): messages to it end a wait_for_changes. */
  agentId?: string | null;
  /** Changes after this event are news to the planner (where its session began); see wait_for_changes. */
  afterSeq?: number;
  clock?: Clock;
  /** Injected so tests can end a wait at once. */
  sleep?: Sleep;
  signal?: AbortSignal;
}

/** What a planner did through its tools; the orchestrator reads it when the agent ends. */
export interface PlannerState {
  filed: string[];
  subplanners: string[];
  finished: { summary: string } | null;
}

function withinScope(owner: Task, scope: readonly string[]): string | null {
  const root = scopeRoot(owner.scope);
  if (root === '') return null;
  const outside = scope.filter((glob) => !glob.startsWith(root));
  return outside.length === 0
    ? null
    : `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside your scope (${owner.scope.join(', ')}); give globs under ${root} and leave other areas to their planners`;
}

const whenIdle =
  'No work is open or running in your scope: file what the goal still needs there, or call finish_planning if it is covered.';

/** Turns a missing dependency into advice; any other failure passes through. */
function explainMissing(error: unknown): never {
  if (error instanceof NotFoundError && error.entity === 'task') {
    throw new ToolError(
      `depends_on names ${error.id}, which is not a task; use ids that create_task returned or list_tasks shows`,
    );
  }
  throw error;
}

/**
 * The board tools of a planner: create_task, spawn_subplanner, list_tasks, read_handoffs,
 * wait_for_changes, finish_planning.
 */
export function createPlannerTools(options: PlannerToolsOptions): { tools: Tool[]; state: PlannerState } {
  const { board, planTask, limits } = options;
  const state: PlannerState = { filed: [], subplanners: [], finished: null };
  const base = { runId: planTask.runId, cycleId: planTask.cycleId, parentId: planTask.id };
  const duplicates = createDuplicateFinder(board);

  const createTask = defineTool({
    name: 'create_task',
    description:
      'File one task for a worker. Give a title that names the outcome, a spec a stranger can act on, checkable acceptance criteria, the path globs it will change (scope), a priority (higher first) and the ids of tasks it must wait for. A task with the same title and scope as an open, leased or done one of this cycle is refused.',
    inputSchema: createTaskInput,
    async execute(input) {
      if (state.filed.length >= limits.maxTasks) {
        throw new ToolError(
          `you have filed ${limits.maxTasks} tasks, the limit for one planner; finish planning or spawn a sub-planner`,
        );
      }
      const outside = withinScope(planTask, input.scope);
      if (outside) throw new ToolError(outside);
      const duplicate = await duplicates.find(
        { ...base, kind: 'work', title: input.title, scope: input.scope },
        options.signal,
      );
      if (duplicate) {
        throw new ToolError(
          `this task already exists as ${duplicate.id} [${duplicate.status}] "${duplicate.title}" with the same scope; it was not filed again. Move on to the next task (use ${duplicate.id} in depends_on if you need it), or give this one a title that says how it differs.`,
          { duplicateOf: duplicate.id },
        );
      }
      const [task] = await board
        .createTasks(
          [
            {
              ...base,
              kind: 'work',
              title: input.title,
              spec: input.spec,
              acceptance: input.acceptance,
              scope: input.scope,
              priority: input.priority,
              dependsOn: input.depends_on,
            },
          ],
          { signal: options.signal },
        )
        .catch(explainMissing);
      if (!task) throw new ToolError('the board did not return the task');
      state.filed.push(task.id);
      return { output: `filed ${task.id}: ${task.title}`, details: { taskId: task.id } };
    },
  });

  const spawnSubplanner = defineTool({
    name: 'spawn_subplanner',
    description:
      'Hand a large area of the codebase to a sub-planner that plans it in parallel with you. Give the area as path globs and a brief of what it must achieve for the goal. Do not file tasks in that area yourself afterwards.',
    inputSchema: spawnSubplannerInput,
    async execute(input) {
      if (options.depth + 1 > limits.maxDepth) {
        throw new ToolError(
          `sub-planners may nest ${limits.maxDepth} deep; plan this area yourself with create_task`,
        );
      }
      if (state.subplanners.length >= limits.maxSubplanners) {
        throw new ToolError(
          `you have spawned ${limits.maxSubplanners} sub-planners, the limit; plan the rest yourself`,
        );
      }
      const outside = withinScope(planTask, input.scope);
      if (outside) throw new ToolError(outside);
      const title = `plan ${input.scope.join(', ')}`;
      const twin = await duplicates.find(
        { ...base, kind: 'plan', title, scope: input.scope },
        options.signal,
      );
      if (twin) {
        throw new ToolError(
          `a sub-planner for ${input.scope.join(', ')} already exists (${twin.id}, ${twin.status}); it was not spawned again. Leave that area to it and plan the rest.`,
          { duplicateOf: twin.id },
        );
      }
      const [task] = await board.createTasks(
        [
          {
            ...base,
            kind: 'plan',
            title,
            spec: input.brief,
            scope: input.scope,
            // sub-planners first: their tasks feed the workers
            priority: 50,
          },
        ],
        { signal: options.signal },
      );
      if (!task) throw new ToolError('the board did not return the task');
      state.subplanners.push(task.id);
      return {
        output: `spawned sub-planner task ${task.id} for ${input.scope.join(', ')}`,
        details: { taskId: task.id },
      };
    },
  });

  const listTasks = createListTasksTool({
    board,
    ownTask: planTask,
    summary: () => `you filed ${state.filed.length} tasks and ${state.subplanners.length} sub-planners`,
    ...(options.signal ? { signal: options.signal } : {}),
  });

  const waitForChanges = createWaitForChangesTool({
    board,
    runId: planTask.runId,
    cycleId: planTask.cycleId,
    scope: planTask.scope,
    agentId: options.agentId ?? null,
    ownTaskId: planTask.id,
    filedByAgent: (taskId) => state.filed.includes(taskId) || state.subplanners.includes(taskId),
    whenIdle,
    ...(options.afterSeq === undefined ? {} : { afterSeq: options.afterSeq }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  const readHandoffs = createReadHandoffsTool({
    board,
    ownTask: planTask,
    ...(options.signal ? { signal: options.signal } : {}),
  });

  const finishPlanning = defineTool({
    name: 'finish_planning',
    description:
      'Say that the goal is covered inside your scope: every part is done or filed. Call it last: your session ends with it. Workers keep working.',
    inputSchema: finishPlanningInput,
    async execute(input) {
      state.finished = { summary: input.summary };
      return {
        output: `planning finished: ${state.filed.length} tasks filed, ${state.subplanners.length} sub-planners. Your session ends here.`,
        details: { filed: state.filed.length, subplanners: state.subplanners.length },
      };
    },
  });

  return {
    tools: [createTask, spawnSubplanner, listTasks, readHandoffs, waitForChanges, finishPlanning],
    state,
  };
}
