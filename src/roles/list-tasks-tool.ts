import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import { scopeRoot, type Task, TaskId, TaskStatus } from '../protocol/index.ts';

const listTasksInput = z.object({
  status: TaskStatus.optional().describe('only tasks in this status'),
  cycle: z.int().min(1).max(1000).optional().describe('cycle number; default the current cycle'),
  scope: z
    .string()
    .max(400)
    .optional()
    .describe('only tasks under this directory, such as "src/api/"; default your scope; "." for all'),
  limit: z.int().min(0).max(500).default(50).describe('tasks per page (0: only the counts)'),
  cursor: TaskId.optional().describe('the nextCursor of the previous page, for the page after it'),
});

/** What list_tasks lists from. */
export interface ListTasksToolOptions {
  board: Pick<TaskBoard, 'listTasks' | 'countTasks' | 'listCycles'>;
  /** The agent's own task: its run, cycle and scope are the defaults. */
  ownTask: Task;
  /** Said after the counts on the first line (what the agent itself filed). */
  summary?: () => string;
  signal?: AbortSignal;
}

function describeTask(task: Task): string {
  const owner = task.leaseOwner ? ` by ${task.leaseOwner}` : '';
  const tries = task.attempts > 0 ? `, ${task.attempts} failed attempt(s)` : '';
  return `${task.id} [${task.status}${owner}${tries}] ${task.kind} p${task.priority}: ${task.title} (scope ${task.scope.join(', ') || 'any'})`;
}

/**
 * `list_tasks`: one page of a cycle's tasks under a directory, filtered and paged by the board's
 * query (never a read of the whole run), with the counts by status and the total of the filter.
 */
export function createListTasksTool(options: ListTasksToolOptions): Tool {
  const { board, ownTask } = options;

  async function cycleIdOf(cycle: number | undefined, signal: AbortSignal): Promise<string | null> {
    if (cycle === undefined) return ownTask.cycleId;
    const cycles = await board.listCycles(ownTask.runId, { signal });
    const found = cycles.find((candidate) => candidate.n === cycle);
    if (!found)
      throw new ToolError(
        `there is no cycle ${cycle}; this run has cycles 1 to ${cycles.length}. Leave cycle out for the current one.`,
      );
    return found.id;
  }

  return defineTool({
    name: 'list_tasks',
    description:
      'List tasks of the current cycle in your scope, oldest first, a page at a time: id, status, owner, failed attempts, kind, priority, title. The first line counts them by status. Filter by status, cycle number or a directory; pass the returned nextCursor as cursor for the next page. To wait for tasks to finish, call wait_for_changes instead of listing again.',
    inputSchema: listTasksInput,
    async execute(input, context) {
      const signal = options.signal ? AbortSignal.any([context.signal, options.signal]) : context.signal;
      const cycleId = await cycleIdOf(input.cycle, signal);
      const scopePrefix = input.scope ?? scopeRoot(ownTask.scope);
      const filter = { runId: ownTask.runId, scopePrefix, ...(cycleId ? { cycleId } : {}) };
      const counts = await board.countTasks(filter, { signal });
      const total = input.status
        ? counts[input.status]
        : TaskStatus.options.reduce((sum, status) => sum + counts[status], 0);
      const page =
        input.limit === 0
          ? []
          : await board.listTasks(
              {
                ...filter,
                ...(input.status ? { status: input.status } : {}),
                ...(input.cursor ? { afterId: input.cursor } : {}),
                limit: input.limit + 1,
              },
              { signal },
            );
      const shown = page.slice(0, input.limit);
      const nextCursor = page.length > input.limit ? (shown.at(-1)?.id ?? null) : null;
      const countLine = `counts: ${TaskStatus.options.map((status) => `${counts[status]} ${status}`).join(', ')}`;
      const where = `${input.cycle ? `cycle ${input.cycle}` : 'this cycle'}, under ${scopePrefix || 'the whole repository'}${input.status ? `, ${input.status} only` : ', all statuses'}`;
      const paging = nextCursor
        ? `nextCursor: ${nextCursor} (call list_tasks with cursor "${nextCursor}" for more)`
        : 'nextCursor: none (last page)';
      const lines = [
        options.summary ? `${countLine} | ${options.summary()}` : countLine,
        `total: ${total} (${where}); ${shown.length} shown${input.cursor ? ` after ${input.cursor}` : ''}`,
        ...shown.map(describeTask),
        ...(input.limit === 0 ? [] : [paging]),
      ];
      return { output: lines.join('\n'), details: { total, nextCursor, count: shown.length } };
    },
  });
}
