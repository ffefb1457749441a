import { sql, type UpdateObject } from 'kysely';
import { NotFoundError, StaleFenceError } from '../errors.ts';
import type { SqlRunner } from '../sql/executor.ts';
import type { PreparedQuery, QueryBuildContext } from '../sql/query.ts';
import type { BoardDatabase, TasksTable } from '../tables.ts';
import { selectTask } from './task-operations.ts';

/** The arguments every fenced update binds: the task, and the fence its caller was granted. */
export interface FenceArgs {
  id: string;
  fence: number;
}

type TaskChanges = UpdateObject<BoardDatabase, 'tasks'>;

/**
 * An update of one task that applies only while the caller's lease holds: the task is still
 * leased at the presented fence. Callers add their own conditions and returning clause.
 */
export function updateLeasedTask<Params extends FenceArgs, Shape>(
  { db, param }: QueryBuildContext<Params, Shape>,
  changes: TaskChanges,
) {
  return db
    .updateTable('tasks')
    .set(changes)
    .where('id', '=', param('id'))
    .where('fence', '=', param('fence'))
    .where('status', '=', 'leased');
}

/** The columns every update that ends a lease sets, whatever status it leaves the task in. */
export function leaseEndedColumns(now: number) {
  return { lease_expires_at: null, version: sql<number>`version + 1`, updated_at: now } satisfies TaskChanges;
}

/** Runs a fenced update and returns its row; if it changed nothing, throws NotFoundError or StaleFenceError. */
export async function runFencedUpdate<Params extends FenceArgs, Row, Shape>(
  runner: SqlRunner,
  query: PreparedQuery<Params, Row, Shape>,
  args: Params,
  ...shape: Shape extends undefined ? [] : [Shape]
): Promise<Row> {
  const [row] = await runner.all(query, args, ...shape);
  if (!row) return rejectFence(runner, args.id, args.fence);
  return row;
}

/** Reads a task its caller holds the lease on; throws NotFoundError or StaleFenceError otherwise. */
export async function requireLease(runner: SqlRunner, taskId: string, fence: number): Promise<TasksTable> {
  const task = await readTask(runner, taskId);
  if (task.status !== 'leased' || Number(task.fence) !== fence) throw staleFence(task, fence);
  return task;
}

/** Explains why a fenced update changed nothing: the task is missing, or the fence is stale. */
async function rejectFence(runner: SqlRunner, taskId: string, presented: number): Promise<never> {
  throw staleFence(await readTask(runner, taskId), presented);
}

async function readTask(runner: SqlRunner, taskId: string): Promise<TasksTable> {
  const [row] = await runner.all(selectTask, { id: taskId });
  if (!row) throw new NotFoundError('task', taskId);
  return row;
}

function staleFence(task: TasksTable, presented: number): StaleFenceError {
  return new StaleFenceError(task.id, presented, Number(task.fence), task.status);
}
