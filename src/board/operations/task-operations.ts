import { sql } from 'kysely';
import { z } from 'zod';
import {
  NewTask,
  type NewTaskInput,
  scopeRoot,
  type Task,
  TaskId,
  TaskPatch,
  TaskStatus,
} from '../../protocol/index.ts';
import { InvalidInputError, NotFoundError, VersionConflictError } from '../errors.ts';
import { taskFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { TasksTable } from '../tables.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { assertRunExists } from './run-operations.ts';

const insertTask = defineQuery<TasksTable, never>(({ db, param }) =>
  db.insertInto('tasks').values({
    id: param('id'),
    run_id: param('run_id'),
    cycle_id: param('cycle_id'),
    parent_id: param('parent_id'),
    kind: param('kind'),
    title: param('title'),
    spec: param('spec'),
    acceptance: param('acceptance'),
    scope: param('scope'),
    scope_root: param('scope_root'),
    priority: param('priority'),
    depends_on: param('depends_on'),
    blocked_count: param('blocked_count'),
    has_dependents: param('has_dependents'),
    status: param('status'),
    attempts: param('attempts'),
    lease_owner: param('lease_owner'),
    lease_expires_at: param('lease_expires_at'),
    fence: param('fence'),
    version: param('version'),
    result: param('result'),
    handoff: param('handoff'),
    failure_reason: param('failure_reason'),
    created_at: param('created_at'),
    updated_at: param('updated_at'),
  }),
);

const insertDependency = defineQuery<{ taskId: string; dependsOnId: string }, never>(({ db, param }) =>
  db
    .insertInto('task_dependencies')
    .values({ task_id: param('taskId'), depends_on_id: param('dependsOnId') }),
);

const markHasDependents = defineQuery<{ id: string }, never>(({ db, param }) =>
  db.updateTable('tasks').set({ has_dependents: 1 }).where('id', '=', param('id')),
);

/** Reads a task row by id; shared by the lease operations. */
export const selectTask = defineQuery<{ id: string }, TasksTable>(({ db, param }) =>
  db.selectFrom('tasks').selectAll().where('id', '=', param('id')),
);

/** Reads a task or throws NotFoundError. */
export async function getTask(runner: SqlRunner, taskId: string): Promise<Task> {
  const id = parseInput(TaskId, taskId, 'task id');
  const [row] = await runner.all(selectTask, { id });
  if (!row) throw new NotFoundError('task', id);
  return taskFromRow(row);
}

function checkDependencyCycles(tasks: readonly { id: string; dependsOn: readonly string[] }[]) {
  const inBatch = new Map(tasks.map((task) => [task.id, task.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      throw new InvalidInputError(`task dependencies form a cycle: ${[...path, id].join(' -> ')}`);
    }
    state.set(id, 'visiting');
    for (const next of inBatch.get(id) ?? []) if (inBatch.has(next)) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  // only tasks of this batch can form a cycle: older tasks cannot depend on tasks that did not exist
  for (const task of tasks) visit(task.id, []);
}

/** Creates tasks in one transaction, appending `task.created` for each. */
export async function createTasks(
  runner: SqlRunner,
  inputs: readonly NewTaskInput[],
  context: OperationContext,
): Promise<Task[]> {
  const drafts = parseInput(z.array(NewTask).min(1, 'give at least one task').max(100_000), inputs, 'tasks');
  const tasks = drafts.map((draft) => ({ ...draft, id: draft.id ?? context.ids('task') }));
  const ids = new Set(tasks.map((task) => task.id));
  if (ids.size !== tasks.length) throw new InvalidInputError('two of the new tasks have the same id');
  checkDependencyCycles(tasks);
  const known = new Map<string, Task>();
  const lookUp = async (id: string) => {
    if (!known.has(id)) known.set(id, await getTask(runner, id));
    return known.get(id) as Task;
  };
  for (const runId of new Set(tasks.map((task) => task.runId))) await assertRunExists(runner, runId);
  const now = context.clock();
  const created: Task[] = [];
  for (const task of tasks) {
    if (task.parentId && !ids.has(task.parentId)) await lookUp(task.parentId);
    let blocked = 0;
    for (const dependency of task.dependsOn) {
      if (ids.has(dependency)) blocked++;
      else if ((await lookUp(dependency)).status !== 'done') blocked++;
    }
    const row: TasksTable = {
      id: task.id,
      run_id: task.runId,
      cycle_id: task.cycleId,
      parent_id: task.parentId,
      kind: task.kind,
      title: task.title,
      spec: task.spec,
      acceptance: task.acceptance,
      scope: JSON.stringify(task.scope),
      scope_root: scopeRoot(task.scope),
      priority: task.priority,
      depends_on: JSON.stringify(task.dependsOn),
      blocked_count: blocked,
      has_dependents: 0,
      status: 'open',
      attempts: 0,
      lease_owner: null,
      lease_expires_at: null,
      fence: 0,
      version: 1,
      result: null,
      handoff: null,
      failure_reason: null,
      created_at: now,
      updated_at: now,
    };
    await runner.run(insertTask, row);
    await writeEvent(
      runner,
      {
        runId: task.runId,
        taskId: task.id,
        type: 'task.created',
        payload: { kind: task.kind, title: task.title, parentId: task.parentId, priority: task.priority },
      },
      now,
    );
    created.push(taskFromRow(row));
  }
  // after every task of the batch exists, so a dependency on a later task of the batch is marked too
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      await runner.run(insertDependency, { taskId: task.id, dependsOnId: dependency });
      await runner.run(markHasDependents, { id: dependency });
    }
  }
  return created;
}

/** An optimistic edit of a task. */
export const UpdateTaskRequest = z.object({ taskId: TaskId, version: z.int().min(1), patch: TaskPatch });
/** An optimistic edit of a task. */
export type UpdateTaskRequest = z.input<typeof UpdateTaskRequest>;

const updateTaskQuery = defineQuery<Record<string, unknown>, TasksTable, string[]>(({ db, param, shape }) => {
  const changes: Record<string, unknown> = { version: sql`version + 1`, updated_at: param('now') };
  for (const key of shape) changes[key] = param(key);
  return db
    .updateTable('tasks')
    .set(changes)
    .where('id', '=', param('taskId') as string)
    .where('version', '=', param('version') as number)
    .returningAll();
});

/** Applies a patch to a task if it is still at `version`; otherwise throws VersionConflictError. */
export async function updateTask(runner: SqlRunner, input: UpdateTaskRequest, context: OperationContext) {
  const request = parseInput(UpdateTaskRequest, input, 'task update');
  const columns: Record<string, unknown> = {};
  const { patch } = request;
  if (patch.title !== undefined) columns.title = patch.title;
  if (patch.spec !== undefined) columns.spec = patch.spec;
  if (patch.acceptance !== undefined) columns.acceptance = patch.acceptance;
  if (patch.priority !== undefined) columns.priority = patch.priority;
  if (patch.scope !== undefined) {
    columns.scope = toJsonText(patch.scope, 'scope');
    columns.scope_root = scopeRoot(patch.scope);
  }
  const keys = Object.keys(columns).sort();
  const now = context.clock();
  const [row] = await runner.all(
    updateTaskQuery,
    { ...columns, taskId: request.taskId, version: request.version, now },
    keys,
  );
  if (!row) {
    const current = await getTask(runner, request.taskId);
    throw new VersionConflictError('task', request.taskId, request.version, current.version);
  }
  const task = taskFromRow(row);
  await writeEvent(runner, { runId: task.runId, taskId: task.id, type: 'task.updated', payload: patch }, now);
  return task;
}

const selectLiveSubtree = defineQuery<{ id: string }, { id: string; run_id: string; status: string }>(
  ({ db, param }) =>
    db
      .withRecursive('subtree(id)', (qb) =>
        qb
          .selectFrom('tasks')
          .select('tasks.id')
          .where('tasks.id', '=', param('id'))
          .unionAll((union) =>
            union
              .selectFrom('tasks')
              .innerJoin('subtree', 'subtree.id', 'tasks.parent_id')
              .select('tasks.id'),
          ),
      )
      .selectFrom('tasks')
      .select(['tasks.id', 'tasks.run_id', 'tasks.status'])
      .where('tasks.id', 'in', (eb) => eb.selectFrom('subtree').select('subtree.id'))
      .where('tasks.status', 'in', ['open', 'leased']),
);

const cancelTaskQuery = defineQuery<{ id: string; reason: string; now: number }, never>(({ db, param }) =>
  db
    .updateTable('tasks')
    .set({
      status: 'cancelled',
      lease_expires_at: null,
      failure_reason: param('reason'),
      version: sql`version + 1`,
      updated_at: param('now'),
    })
    .where('id', '=', param('id'))
    .where('status', 'in', ['open', 'leased']),
);

/** Cancels a task and every descendant that is still open or leased; leases on them become stale. */
export async function cancelSubtree(
  runner: SqlRunner,
  input: { taskId: string; reason?: string },
  context: OperationContext,
): Promise<string[]> {
  const root = await getTask(runner, input.taskId);
  const reason = parseInput(z.string().max(2000).default('cancelled'), input.reason, 'reason');
  const now = context.clock();
  const live = await runner.all(selectLiveSubtree, { id: root.id });
  for (const task of live) {
    await runner.run(cancelTaskQuery, { id: task.id, reason, now });
    await writeEvent(
      runner,
      {
        runId: task.run_id,
        taskId: task.id,
        type: 'task.cancelled',
        payload: { reason, was: TaskStatus.parse(task.status) },
      },
      now,
    );
  }
  return live.map((task) => task.id);
}
