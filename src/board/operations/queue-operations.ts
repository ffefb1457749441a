import { z } from 'zod';
import {
  AgentId,
  CommitSha,
  type QueueEntry,
  QueueEntryStatus,
  QueueOutcome,
  RunId,
  TaskId,
} from '../../protocol/index.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { queueEntryFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { QueueEntriesTable } from '../tables.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { requireLease } from './fenced-update.ts';
import { requireQueueLease } from './queue-lease-operations.ts';

const EntryId = z.string().min(1, 'give a queue entry id').max(200);

/** A task's change offered to its run's merge queue, under the task's current lease. */
export const SubmitToQueueRequest = z.object({
  /** When given, must be the task's run. */
  runId: RunId.optional(),
  taskId: TaskId,
  fence: z.int().min(1, 'a fence is a positive integer granted by claim'),
  agentId: z.string().max(200).nullable().default(null),
  commit: CommitSha,
  base: CommitSha,
  ref: z.string().min(1, 'say where the commit is on the hub').max(1000),
  files: z.array(z.string().max(4096)).max(100_000),
});
/** A task's change offered to its run's merge queue. */
export type SubmitToQueueRequest = z.input<typeof SubmitToQueueRequest>;

/** Which of a run's queue entries to read, one page (by position) at a time. */
export const ListQueueEntriesRequest = z.object({
  runId: RunId,
  status: QueueEntryStatus.optional(),
  afterPosition: z.int().optional(),
  limit: z.int().min(1).max(10_000).default(1000),
});
/** Which of a run's queue entries to read (before defaults). */
export type ListQueueEntriesRequest = z.input<typeof ListQueueEntriesRequest>;

/** The outcome of a queued entry, given by the queue lease's holder. */
export const SettleQueueEntryRequest = z.object({
  entryId: EntryId,
  queueFence: z.int().min(1, 'a queue fence is a positive integer granted by acquireQueueLease'),
  outcome: QueueOutcome,
});
/** The outcome of a queued entry, given by the queue lease's holder. */
export type SettleQueueEntryRequest = z.input<typeof SettleQueueEntryRequest>;

const selectEntry = defineQuery<{ id: string }, QueueEntriesTable>(({ db, param }) =>
  db.selectFrom('queue_entries').selectAll().where('id', '=', param('id')),
);

const insertEntry = defineQuery<QueueEntriesTable, never>(({ db, param }) =>
  db.insertInto('queue_entries').values({
    id: param('id'),
    run_id: param('run_id'),
    task_id: param('task_id'),
    fence: param('fence'),
    agent_id: param('agent_id'),
    commit_sha: param('commit_sha'),
    base_sha: param('base_sha'),
    ref: param('ref'),
    files: param('files'),
    position: param('position'),
    status: param('status'),
    outcome: param('outcome'),
    submitted_at: param('submitted_at'),
    settled_at: param('settled_at'),
  }),
);

// PostgreSQL: submissions to one run take their positions one at a time, in commit order, so a
// reader paging by position never passes a position that a slower transaction fills in later
// (SQLite's single writer gives the same order)
const lockRun = defineQuery<{ runId: string }, { id: string }>(({ db, param, dialect }) => {
  const query = db.selectFrom('runs').select('id').where('id', '=', param('runId'));
  return dialect === 'postgres' ? query.forUpdate() : query;
});

const selectLastPosition = defineQuery<{ runId: string }, { position: number | string }>(({ db, param }) =>
  db
    .selectFrom('queue_entries')
    .select('position')
    .where('run_id', '=', param('runId'))
    .orderBy('position', 'desc')
    .limit(1),
);

// the run's queued entries, narrowed by the (run_id, status, position) index before the task filter
const withdrawQueued = defineQuery<
  { runId: string; taskId: string; outcome: string; now: number },
  Pick<QueueEntriesTable, 'id'>
>(({ db, param }) =>
  db
    .updateTable('queue_entries')
    .set({ status: 'settled', outcome: param('outcome'), settled_at: param('now') })
    .where('run_id', '=', param('runId'))
    .where('status', '=', 'queued')
    .where('task_id', '=', param('taskId'))
    .returning('id'),
);

const settleEntry = defineQuery<{ id: string; outcome: string; now: number }, QueueEntriesTable>(
  ({ db, param }) =>
    db
      .updateTable('queue_entries')
      .set({ status: 'settled', outcome: param('outcome'), settled_at: param('now') })
      .where('id', '=', param('id'))
      .where('status', '=', 'queued')
      .returningAll(),
);

/**
 * Appends a task's change to its run's queue at the next position. Requires the task's current
 * lease (StaleFenceError otherwise); an entry of the task still queued is settled as withdrawn
 * (`resubmitted`) in the same transaction, so a task has at most one queued entry.
 */
export async function submitToQueue(
  runner: SqlRunner,
  input: SubmitToQueueRequest,
  context: OperationContext,
): Promise<QueueEntry> {
  const request = parseInput(SubmitToQueueRequest, input, 'queue submission');
  const task = await requireLease(runner, request.taskId, request.fence);
  if (request.runId !== undefined && request.runId !== task.run_id)
    throw new InvalidInputError(`task ${task.id} belongs to run ${task.run_id}, not ${request.runId}`);
  await runner.all(lockRun, { runId: task.run_id });
  const now = context.clock();
  const withdrawal: QueueOutcome = { type: 'withdrawn', reason: 'resubmitted' };
  const withdrawn = await runner.all(withdrawQueued, {
    runId: task.run_id,
    taskId: task.id,
    outcome: toJsonText(withdrawal, 'outcome'),
    now,
  });
  for (const { id } of withdrawn) {
    const draft = { runId: task.run_id, taskId: task.id, type: 'queue.settled' as const };
    await writeEvent(runner, { ...draft, payload: { entryId: id, outcome: withdrawal } }, now);
  }
  const [last] = await runner.all(selectLastPosition, { runId: task.run_id });
  const row: QueueEntriesTable = {
    id: queueId('qe', context),
    run_id: task.run_id,
    task_id: task.id,
    fence: request.fence,
    agent_id: request.agentId,
    commit_sha: request.commit,
    base_sha: request.base,
    ref: request.ref,
    files: toJsonText(request.files, 'files'),
    position: Number(last?.position ?? 0) + 1,
    status: 'queued',
    outcome: null,
    submitted_at: now,
    settled_at: null,
  };
  await runner.run(insertEntry, row);
  await writeEvent(
    runner,
    {
      runId: task.run_id,
      taskId: task.id,
      // the envelope's agent is an agent id; a free-form submitter (a lease owner name) stays in the entry
      agentId: AgentId.safeParse(request.agentId).success ? request.agentId : null,
      type: 'queue.submitted',
      payload: { entryId: row.id, commit: request.commit, base: request.base, files: request.files },
    },
    now,
  );
  return queueEntryFromRow(row);
}

const selectEntries = defineQuery<
  { runId: string; status?: string; afterPosition?: number; limit: number },
  QueueEntriesTable,
  { status: boolean; after: boolean }
>(({ db, param, shape }) => {
  let query = db.selectFrom('queue_entries').selectAll().where('run_id', '=', param('runId'));
  if (shape.status) query = query.where('status', '=', param('status') as string);
  if (shape.after) query = query.where('position', '>', param('afterPosition') as number);
  return query.orderBy('position').limit(param('limit'));
});

/** A run's queue entries by position, oldest first; filtered by status, one page after `afterPosition`. */
export async function listQueueEntries(
  runner: SqlRunner,
  input: ListQueueEntriesRequest,
): Promise<QueueEntry[]> {
  const request = parseInput(ListQueueEntriesRequest, input, 'queue entry query');
  const rows = await runner.all(selectEntries, request, {
    status: request.status !== undefined,
    after: request.afterPosition !== undefined,
  });
  return rows.map(queueEntryFromRow);
}

/** One queue entry; NotFoundError when there is none. */
export async function getQueueEntry(runner: SqlRunner, entryId: string): Promise<QueueEntry> {
  return queueEntryFromRow(await readEntry(runner, parseInput(EntryId, entryId, 'queue entry id')));
}

async function readEntry(runner: SqlRunner, id: string): Promise<QueueEntriesTable> {
  const [row] = await runner.all(selectEntry, { id });
  if (!row) throw new NotFoundError('queue entry', id);
  return row;
}

/**
 * Settles a queued entry with its outcome; only the holder of the run's current, unexpired queue
 * lease may (StaleFenceError otherwise). Settling a settled entry returns it unchanged, with no
 * event, so a runner that repeats a settlement after a lost connection is safe.
 */
export async function settleQueueEntry(
  runner: SqlRunner,
  input: SettleQueueEntryRequest,
  context: OperationContext,
): Promise<QueueEntry> {
  const request = parseInput(SettleQueueEntryRequest, input, 'queue settlement');
  const entry = await readEntry(runner, request.entryId);
  await requireQueueLease(runner, entry.run_id, request.queueFence, context);
  if (entry.status !== 'queued') return queueEntryFromRow(entry);
  const now = context.clock();
  const outcome = toJsonText(request.outcome, 'outcome');
  const [row] = await runner.all(settleEntry, { id: entry.id, outcome, now });
  // settled by a concurrent call since it was read: return what that call wrote
  if (!row) return queueEntryFromRow(await readEntry(runner, entry.id));
  await writeEvent(
    runner,
    {
      runId: entry.run_id,
      taskId: entry.task_id,
      type: 'queue.settled',
      payload: { entryId: entry.id, outcome: request.outcome },
    },
    now,
  );
  return queueEntryFromRow(row);
}

/**
 * A fresh id for a queue row, `<prefix>_<body>`: the body is drawn from the board's id generator,
 * so queue ids sort by creation like every other id and tests with sequential ids get stable ones.
 */
export function queueId(prefix: 'qe' | 'cr', context: OperationContext): string {
  const id = context.ids('message');
  return `${prefix}${id.slice(id.indexOf('_'))}`;
}
