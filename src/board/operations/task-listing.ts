import { type SelectQueryBuilder, sql } from 'kysely';
import { z } from 'zod';
import { CycleId, RunId, type Task, TaskId, TaskKind, TaskStatus } from '../../protocol/index.ts';
import { taskFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { BoardDatabase, TasksTable } from '../tables.ts';
import { parseInput } from './context.ts';

/** Which of a run's tasks a listing or a count covers; every filter given must match. */
export const TaskFilter = z.object({
  runId: RunId,
  cycleId: CycleId.optional(),
  status: TaskStatus.optional(),
  kind: TaskKind.optional(),
  parentId: TaskId.optional(),
  /**
   * A directory such as `src/ui/` (a missing trailing slash is added): only tasks whose scope lies
   * under it, the same prefix match as a claim's scope filter. Empty matches every task.
   */
  scopePrefix: z.string().max(400).optional(),
});
/** Which of a run's tasks a listing or a count covers (before defaults). */
export type TaskFilter = z.input<typeof TaskFilter>;

/** Which tasks to list: a filter plus a page. */
export const ListTasksRequest = TaskFilter.extend({
  /** Paging: only tasks whose id sorts after this one. */
  afterId: TaskId.optional(),
  limit: z.int().min(1).max(10_000).default(1000),
});
/** Which tasks to list (before defaults). */
export type ListTasksRequest = z.input<typeof ListTasksRequest>;

type FilterShape = { cycle: boolean; status: boolean; kind: boolean; parent: boolean; scope: boolean };
type Args = Record<string, string | number>;
type Param = (name: string) => string | number;

/** `src/ui`, `./src/ui/` and `src/ui/` name one directory; `.` and `` name the whole repository. */
function directoryPrefix(path: string): string {
  const relative = path === '.' ? '' : path.replace(/^(\.\/)+/, '');
  return relative === '' || relative.endsWith('/') ? relative : `${relative}/`;
}

/** The filter as query arguments and the shape of the SQL it needs (a filter present or not). */
function filterArguments(filter: z.output<typeof TaskFilter>): { args: Args; shape: FilterShape } {
  const args: Args = { runId: filter.runId };
  if (filter.cycleId) args.cycleId = filter.cycleId;
  if (filter.status) args.status = filter.status;
  if (filter.kind) args.kind = filter.kind;
  if (filter.parentId) args.parentId = filter.parentId;
  const prefix = directoryPrefix(filter.scopePrefix ?? '');
  if (prefix !== '') args.scopePrefix = prefix;
  const shape = {
    cycle: args.cycleId !== undefined,
    status: args.status !== undefined,
    kind: args.kind !== undefined,
    parent: args.parentId !== undefined,
    scope: args.scopePrefix !== undefined,
  };
  return { args, shape };
}

function whereFilter<Output>(
  query: SelectQueryBuilder<BoardDatabase, 'tasks', Output>,
  shape: FilterShape,
  param: Param,
): SelectQueryBuilder<BoardDatabase, 'tasks', Output> {
  let filtered = query.where('run_id', '=', param('runId') as string);
  if (shape.cycle) filtered = filtered.where('cycle_id', '=', param('cycleId') as string);
  if (shape.status) filtered = filtered.where('status', '=', param('status') as string);
  if (shape.kind) filtered = filtered.where('kind', '=', param('kind') as string);
  if (shape.parent) filtered = filtered.where('parent_id', '=', param('parentId') as string);
  if (shape.scope) {
    const prefix = param('scopePrefix');
    filtered = filtered.where(sql<string>`substr(scope_root, 1, length(${prefix}))`, '=', prefix as string);
  }
  return filtered;
}

const selectTasks = defineQuery<Args, TasksTable, FilterShape & { after: boolean }>(
  ({ db, param, shape }) => {
    let query = whereFilter(db.selectFrom('tasks').selectAll(), shape, param);
    if (shape.after) query = query.where('id', '>', param('afterId') as string);
    return query.orderBy('id').limit(param('limit') as number);
  },
);

/** Lists the tasks a filter matches in creation order, a page at a time. */
export async function listTasks(runner: SqlRunner, input: ListTasksRequest): Promise<Task[]> {
  const request = parseInput(ListTasksRequest, input, 'task query');
  const { args, shape } = filterArguments(request);
  args.limit = request.limit;
  if (request.afterId) args.afterId = request.afterId;
  const rows = await runner.all(selectTasks, args, { ...shape, after: request.afterId !== undefined });
  return rows.map(taskFromRow);
}

const countByStatus = defineQuery<Args, { status: string; count: number | string }, FilterShape>(
  ({ db, param, shape }) =>
    whereFilter(
      db.selectFrom('tasks').select(['status', (eb) => eb.fn.countAll().as('count')]),
      shape,
      param,
    ).groupBy('status'),
);

/**
 * How many tasks a filter matches, by status, over every page a listing would return: a run id
 * alone counts the whole run.
 */
export async function countTasks(
  runner: SqlRunner,
  input: string | TaskFilter,
): Promise<Record<TaskStatus, number>> {
  const filter = parseInput(TaskFilter, typeof input === 'string' ? { runId: input } : input, 'task count');
  const { args, shape } = filterArguments(filter);
  const rows = await runner.all(countByStatus, args, shape);
  const counts: Record<TaskStatus, number> = { open: 0, leased: 0, done: 0, failed: 0, cancelled: 0 };
  for (const row of rows) {
    const status = TaskStatus.safeParse(row.status);
    if (status.success) counts[status.data] = Number(row.count);
  }
  return counts;
}
