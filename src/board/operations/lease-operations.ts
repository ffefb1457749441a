import { sql } from 'kysely';
import { z } from 'zod';
import {
  type ClaimedLease,
  type Lease,
  LeaseOwner,
  RunId,
  type Task,
  TaskId,
  TaskKind,
} from '../../protocol/index.ts';
import { taskFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { TasksTable } from '../tables.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { leaseEndedColumns, runFencedUpdate, updateLeasedTask } from './fenced-update.ts';
import { type LeaseClockShape, leaseEnd } from './lease-clock.ts';

const ttl = z
  .int()
  .min(1, 'a lease lasts at least 1 ms')
  .max(7 * 24 * 3600 * 1000, 'a lease lasts at most a week');
const fence = z.int().min(1, 'a fence is a positive integer granted by claim');

/** Which tasks a claimer will take. */
export const ClaimFilter = z.object({
  runId: RunId.optional(),
  kinds: z.array(TaskKind).min(1).max(3).default(['plan', 'work', 'judge']),
  /** Directory prefixes such as `src/ui/`; a task matches when its scope lies under one of them. */
  scopes: z.array(z.string().max(400)).max(20).default([]),
});
/** Which tasks a claimer will take (before defaults). */
export type ClaimFilter = z.input<typeof ClaimFilter>;

/** A request for one lease. */
export const ClaimRequest = z.object({ owner: LeaseOwner, ttlMs: ttl, filter: ClaimFilter.prefault({}) });
/** A request for one lease (before defaults). */
export type ClaimRequest = z.input<typeof ClaimRequest>;

type ClaimShape = LeaseClockShape & { run: boolean; scopes: number };

const claimQuery = defineQuery<Record<string, string | number>, TasksTable, ClaimShape>(
  ({ db, param, dialect, shape }) => {
    // three kind slots always, padded by repetition, so the SQL text (and its cached statement) never varies
    // SQLite: select and update by rowid, saving a lookup in the id index on every claim
    const key = dialect === 'sqlite' ? sql<string>`rowid` : sql<string>`id`;
    let candidate = db
      .selectFrom('tasks')
      .select(key.as('key'))
      // literals, not bound values: SQLite only uses a partial index when the query names its condition
      .where('status', '=', sql.lit('open'))
      .where('blocked_count', '=', sql.lit(0))
      .where('kind', 'in', [param('kind0') as string, param('kind1') as string, param('kind2') as string]);
    if (shape.run) candidate = candidate.where('run_id', '=', param('runId') as string);
    if (shape.scopes > 0) {
      candidate = candidate.where((eb) =>
        eb.or(
          Array.from({ length: shape.scopes }, (_, index) => {
            const prefix = param(`scope${index}`);
            return eb(sql`substr(scope_root, 1, length(${prefix}))`, '=', prefix);
          }),
        ),
      );
    }
    candidate = candidate.orderBy('priority', 'desc').orderBy('id').limit(1);
    // PostgreSQL: claimers skip rows another claimer is taking instead of queueing behind it
    if (dialect === 'postgres') candidate = candidate.forUpdate().skipLocked();
    return (
      db
        .updateTable('tasks')
        .set({
          status: 'leased',
          lease_owner: param('owner') as string,
          lease_expires_at: leaseEnd(dialect, shape.clock, {
            expiresAt: param('expiresAt') as number,
            ttlMs: param('ttlMs') as number,
          }),
          fence: sql`fence + 1`,
          version: sql`version + 1`,
          updated_at: param('now') as number,
        })
        .where(key, '=', candidate)
        .where('status', '=', 'open')
        // the whole row: the claimer gets the leased task with its lease, without a second read
        .returningAll()
    );
  },
);

/** Leases the most urgent claimable task matching the filter, or returns null; never waits for one. */
export async function claim(
  runner: SqlRunner,
  input: ClaimRequest,
  context: OperationContext,
): Promise<ClaimedLease | null> {
  const request = parseInput(ClaimRequest, input, 'claim');
  const { kinds, runId, scopes } = request.filter;
  const now = context.clock();
  const args: Record<string, string | number> = {
    owner: request.owner,
    expiresAt: now + request.ttlMs,
    ttlMs: request.ttlMs,
    now,
    kind0: kinds[0] as string,
    kind1: kinds[1] ?? (kinds[0] as string),
    kind2: kinds[2] ?? kinds[1] ?? (kinds[0] as string),
  };
  if (runId) args.runId = runId;
  scopes.forEach((scope, index) => {
    args[`scope${index}`] = scope.endsWith('/') || scope === '' ? scope : `${scope}/`;
  });
  const shape = { clock: context.leaseClock, run: runId !== undefined, scopes: scopes.length };
  const [row] = await runner.all(claimQuery, args, shape);
  if (!row) return null;
  const task = taskFromRow(row);
  const lease: ClaimedLease = {
    taskId: task.id,
    runId: task.runId,
    owner: request.owner,
    fence: task.fence,
    expiresAt: Number(row.lease_expires_at),
    task,
  };
  await writeEvent(
    runner,
    {
      runId: lease.runId,
      taskId: lease.taskId,
      type: 'task.claimed',
      payload: { owner: lease.owner, fence: lease.fence, expiresAt: lease.expiresAt },
    },
    now,
  );
  return lease;
}

const heartbeatQuery = defineQuery<
  { id: string; fence: number; expiresAt: number; ttlMs: number },
  Pick<TasksTable, 'id' | 'run_id' | 'fence' | 'lease_owner' | 'lease_expires_at'>,
  LeaseClockShape
>((context) => {
  const { param, dialect, shape } = context;
  const expiresAt = leaseEnd(dialect, shape.clock, { expiresAt: param('expiresAt'), ttlMs: param('ttlMs') });
  const lease = ['id', 'run_id', 'fence', 'lease_owner', 'lease_expires_at'] as const;
  return updateLeasedTask(context, { lease_expires_at: expiresAt }).returning(lease);
});

/** A lease extension. */
export const HeartbeatRequest = z.object({ taskId: TaskId, fence, ttlMs: ttl });
/** A lease extension. */
export type HeartbeatRequest = z.input<typeof HeartbeatRequest>;

/**
 * Extends a lease. It appends no event: an extension changes nobody's view of the task, and at
 * one heartbeat per agent every few seconds it would soon be most of a week-long run's log.
 */
export async function heartbeat(runner: SqlRunner, input: HeartbeatRequest, context: OperationContext) {
  const request = parseInput(HeartbeatRequest, input, 'heartbeat');
  const row = await runFencedUpdate(
    runner,
    heartbeatQuery,
    {
      id: request.taskId,
      fence: request.fence,
      expiresAt: context.clock() + request.ttlMs,
      ttlMs: request.ttlMs,
    },
    { clock: context.leaseClock },
  );
  return {
    taskId: row.id,
    runId: row.run_id,
    owner: row.lease_owner as string,
    fence: Number(row.fence),
    expiresAt: Number(row.lease_expires_at),
  } satisfies Lease;
}

const completeQuery = defineQuery<
  { id: string; fence: number; result: string; handoff: string | null; now: number },
  Pick<TasksTable, 'run_id' | 'lease_owner' | 'attempts' | 'has_dependents'>
>((context) => {
  const { param } = context;
  return updateLeasedTask(context, {
    status: 'done',
    result: param('result'),
    handoff: param('handoff'),
    ...leaseEndedColumns(param('now')),
  }).returning(['run_id', 'lease_owner', 'attempts', 'has_dependents']);
});

const unblockDependents = defineQuery<{ id: string }, never>(({ db, param }) =>
  db
    .updateTable('tasks')
    .set({ blocked_count: sql`blocked_count - 1` })
    .where('id', 'in', (eb) =>
      eb.selectFrom('task_dependencies').select('task_id').where('depends_on_id', '=', param('id')),
    ),
);

/** The end of a task's work. */
export const CompleteRequest = z.object({
  taskId: TaskId,
  fence,
  result: z.unknown().optional(),
  handoff: z.string().max(200_000).nullable().optional(),
});
/** The end of a task's work. */
export type CompleteRequest = z.input<typeof CompleteRequest>;

/** What completing a task did; not the whole task, because completion is on every worker's hot path. */
export interface CompletedTask {
  taskId: string;
  runId: string;
  fence: number;
  owner: string | null;
}

/** Marks a leased task done, if the fence is still current; unblocks tasks that wait on it. */
export async function complete(
  runner: SqlRunner,
  input: CompleteRequest,
  context: OperationContext,
): Promise<CompletedTask> {
  const request = parseInput(CompleteRequest, input, 'completion');
  const now = context.clock();
  const row = await runFencedUpdate(runner, completeQuery, {
    id: request.taskId,
    fence: request.fence,
    result: toJsonText(request.result ?? null, 'result'),
    handoff: request.handoff ?? null,
    now,
  });
  if (Number(row.has_dependents) === 1) await runner.run(unblockDependents, { id: request.taskId });
  await writeEvent(
    runner,
    {
      runId: row.run_id,
      taskId: request.taskId,
      type: 'task.completed',
      payload: { fence: request.fence, owner: row.lease_owner },
    },
    now,
  );
  return { taskId: request.taskId, runId: row.run_id, fence: request.fence, owner: row.lease_owner };
}

const failQuery = defineQuery<
  { id: string; fence: number; reason: string; retry: number; maxAttempts: number; now: number },
  TasksTable
>((context) => {
  const { param } = context;
  const retries = sql`${param('retry')} = 1 and attempts + 1 < ${param('maxAttempts')}`;
  return updateLeasedTask(context, {
    status: sql`case when ${retries} then 'open' else 'failed' end`,
    lease_owner: sql`case when ${retries} then null else lease_owner end`,
    attempts: sql`attempts + 1`,
    failure_reason: param('reason'),
    ...leaseEndedColumns(param('now')),
  }).returningAll();
});

/** A worker giving up on a task. */
export const FailRequest = z.object({
  taskId: TaskId,
  fence,
  reason: z.string().min(1, 'say why the task failed').max(20_000),
  /** Retryable failures send the task back to open until it has used up its attempts. */
  retryable: z.boolean(),
});
/** A worker giving up on a task. */
export type FailRequest = z.input<typeof FailRequest>;

/** Fails a leased task; a retryable failure reopens it while attempts remain. */
export async function fail(runner: SqlRunner, input: FailRequest, context: OperationContext): Promise<Task> {
  const request = parseInput(FailRequest, input, 'failure');
  const now = context.clock();
  const row = await runFencedUpdate(runner, failQuery, {
    id: request.taskId,
    fence: request.fence,
    reason: request.reason,
    retry: request.retryable ? 1 : 0,
    maxAttempts: context.maxAttempts,
    now,
  });
  const task = taskFromRow(row);
  await writeEvent(
    runner,
    {
      runId: task.runId,
      taskId: task.id,
      type: task.status === 'open' ? 'task.retrying' : 'task.failed',
      payload: { fence: request.fence, reason: request.reason, attempts: task.attempts },
    },
    now,
  );
  return task;
}

const releaseQuery = defineQuery<{ id: string; fence: number; now: number }, TasksTable>((context) =>
  updateLeasedTask(context, {
    status: 'open',
    lease_owner: null,
    ...leaseEndedColumns(context.param('now')),
  }).returningAll(),
);

/** Gives a lease back without using up an attempt (a clean shutdown, for instance). */
export async function release(
  runner: SqlRunner,
  input: { taskId: string; fence: number },
  context: OperationContext,
) {
  const request = parseInput(z.object({ taskId: TaskId, fence }), input, 'release');
  const now = context.clock();
  const row = await runFencedUpdate(runner, releaseQuery, { id: request.taskId, fence: request.fence, now });
  const task = taskFromRow(row);
  await writeEvent(
    runner,
    { runId: task.runId, taskId: task.id, type: 'task.released', payload: { fence: request.fence } },
    now,
  );
  return task;
}
