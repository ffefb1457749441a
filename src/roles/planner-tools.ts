import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import { ScopeGlob, scopeRoot, type Task, TaskId, TaskStatus } from '../protocol/index.ts';

const createTaskInput = z.object({
  title: z.string().min(1).max(500),
  spec: z.string().min(1).max(100_000),
  acceptance: z.string().min(1).max(20_000),
  scope: z.array(ScopeGlob).min(1).max(50),
  priority: z.int().min(-100).max(100).default(0),
  depends_on: z.array(TaskId).max(50).default([]),
});

const spawnSubplannerInput = z.object({
  scope: z.array(ScopeGlob).min(1).max(50),
  brief: z.string().min(1).max(20_000),
});

const listTasksInput = z.object({
  status: TaskStatus.optional(),
  limit: z.int().min(0).max(500).default(200),
});

const readHandoffsInput = z.object({ limit: z.int().min(1).max(100).default(20) });

const finishPlanningInput = z.object({ summary: z.string().min(1).max(20_000) });

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
    : `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside your scope (${owner.scope.join(', ')})`;
}

function describeTask(task: Task): string {
  const owner = task.leaseOwner ? ` by ${task.leaseOwner}` : '';
  const tries = task.attempts > 0 ? `, ${task.attempts} failed attempt(s)` : '';
  return `${task.id} [${task.status}${owner}${tries}] ${task.kind} p${task.priority}: ${task.title}`;
}

/** The board tools of a planner: create_task, spawn_subplanner, list_tasks, read_handoffs, finish_planning. */
export function createPlannerTools(options: PlannerToolsOptions): { tools: Tool[]; state: PlannerState } {
  const { board, planTask, limits } = options;
  const state: PlannerState = { filed: [], subplanners: [], finished: null };
  const seenHandoffs = new Set<string>();
  const unread: string[] = [];
  let handoffCursor = 0;
  const base = { runId: planTask.runId, cycleId: planTask.cycleId, parentId: planTask.id };

  const createTask = defineTool({
    name: 'create_task',
    description:
      'File one task for a worker. Give a title that names the outcome, a spec a stranger can act on, checkable acceptance criteria, the path globs it will change (scope), a priority (higher first) and the ids of tasks it must wait for.',
    inputSchema: createTaskInput,
    async execute(input) {
      if (state.filed.length >= limits.maxTasks) {
        throw new ToolError(
          `you have filed ${limits.maxTasks} tasks, the limit for one planner; finish planning or spawn a sub-planner`,
        );
      }
      const outside = withinScope(planTask, input.scope);
      if (outside) throw new ToolError(outside);
      const [task] = await board.createTasks(
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
      );
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
      const [task] = await board.createTasks(
        [
          {
            ...base,
            kind: 'plan',
            title: `plan ${input.scope.join(', ')}`,
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

  const listTasks = defineTool({
    name: 'list_tasks',
    description:
      "List this cycle's tasks with their status, owner and attempts (first line: counts by status); optionally only one status.",
    inputSchema: listTasksInput,
    async execute(input) {
      const tasks = await board.listTasks(
        { runId: planTask.runId, ...(input.status ? { status: input.status } : {}), limit: 10_000 },
        { signal: options.signal },
      );
      const inCycle = tasks.filter((task) => task.cycleId === planTask.cycleId);
      const counts = new Map<string, number>();
      for (const task of inCycle) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
      const summary =
        `counts: ${TaskStatus.options.map((status) => `${counts.get(status) ?? 0} ${status}`).join(', ')}` +
        ` | you filed ${state.filed.length} tasks and ${state.subplanners.length} sub-planners`;
      const lines = inCycle.slice(0, input.limit).map(describeTask);
      return { output: [summary, ...lines].join('\n'), details: { count: inCycle.length } };
    },
  });

  const readHandoffs = defineTool({
    name: 'read_handoffs',
    description:
      'Read the handoffs of finished and failed tasks of this cycle that you have not read yet: what each worker did, what it left and what it noticed.',
    inputSchema: readHandoffsInput,
    async execute(input) {
      // follow the log from where this planner last read, so a long run does not re-read every
      // finished task on each call; tasks it has not shown yet stay queued for the next call
      for (;;) {
        const events = await board.readEvents(
          {
            runId: planTask.runId,
            afterSeq: handoffCursor,
            limit: 1000,
            types: ['task.completed', 'task.failed'],
          },
          { signal: options.signal },
        );
        if (events.length === 0) break;
        for (const event of events) {
          handoffCursor = event.seq;
          if (event.taskId && !seenHandoffs.has(event.taskId)) unread.push(event.taskId);
        }
      }
      const fresh: Task[] = [];
      while (fresh.length < input.limit && unread.length > 0) {
        const taskId = unread.shift() as string;
        if (seenHandoffs.has(taskId)) continue;
        const task = await board.getTask(taskId, { signal: options.signal });
        if (task.cycleId === planTask.cycleId && task.kind === 'work') fresh.push(task);
        else seenHandoffs.add(taskId);
      }
      for (const task of fresh) seenHandoffs.add(task.id);
      const text = fresh.map(
        (task) =>
          `## ${task.id} ${task.status}: ${task.title}\n${task.handoff ?? task.failureReason ?? '(no handoff)'}`,
      );
      return {
        output: text.length > 0 ? text.join('\n\n') : 'no new handoffs',
        details: { count: fresh.length },
      };
    },
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

  return { tools: [createTask, spawnSubplanner, listTasks, readHandoffs, finishPlanning], state };
}
