import { sql } from 'kysely';
import { z } from 'zod';
import { LeaseOwner, type QueueLease, RunId } from '../../protocol/index.ts';
import { StaleQueueFenceError } from '../errors.ts';
import { queueLeaseFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { QueueLeasesTable } from '../tables.ts';
import { type OperationContext, parseInput } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { type LeaseClockShape, leaseEnd, leasePresent } from './lease-clock.ts';
import { assertRunExists } from './run-operations.ts';

const ttl = z
  .int()
  .min(1, 'a queue lease lasts at least 1 ms')
  .max(7 * 24 * 3600 * 1000, 'a queue lease lasts at most a week');
const fence = z.int().min(1, 'a queue fence is a positive integer granted by acquireQueueLease');

/** A request for a run's queue lease (or to renew the one the owner holds). */
export const AcquireQueueLeaseRequest = z.object({ runId: RunId, owner: LeaseOwner, ttlMs: ttl });
/** A request for a run's queue lease. */
export type AcquireQueueLeaseRequest = z.input<typeof AcquireQueueLeaseRequest>;

/** An extension of a held queue lease, by its fence. */
export const RenewQueueLeaseRequest = z.object({ runId: RunId, fence, ttlMs: ttl });
/** An extension of a held queue lease. */
export type RenewQueueLeaseRequest = z.input<typeof RenewQueueLeaseRequest>;

/** A queue lease given back, by its fence. */
export const ReleaseQueueLeaseRequest = z.object({ runId: RunId, fence });
/** A queue lease given back. */
export type ReleaseQueueLeaseRequest = z.input<typeof ReleaseQueueLeaseRequest>;

type LeaseRow = QueueLeasesTable & { live: number | string };
type LockShape = LeaseClockShape & { lock: 'update' | 'share' };

// `live` is judged in SQL, so on PostgreSQL it is the database clock's verdict. The row is locked
// on PostgreSQL: `update` by an acquirer about to change it, `share` by a holder's write (settle,
// record a check run), so a takeover cannot commit between the holder's check and its write.
const selectLease = defineQuery<{ runId: string; now: number }, LeaseRow, LockShape>(
  ({ db, param, dialect, shape }) => {
    const present = leasePresent(dialect, shape.clock, param('now'));
    const query = db
      .selectFrom('queue_leases')
      .selectAll()
      .select(sql<number>`case when expires_at >= ${present} then 1 else 0 end`.as('live'))
      .where('run_id', '=', param('runId'));
    if (dialect !== 'postgres') return query;
    return shape.lock === 'update' ? query.forUpdate() : query.forShare();
  },
);

interface GrantArgs {
  runId: string;
  owner: string;
  expiresAt: number;
  ttlMs: number;
}

const insertLease = defineQuery<GrantArgs, QueueLeasesTable, LeaseClockShape>(
  ({ db, param, dialect, shape }) =>
    db
      .insertInto('queue_leases')
      .values({
        run_id: param('runId'),
        owner: param('owner'),
        fence: 1,
        expires_at: leaseEnd(dialect, shape.clock, { expiresAt: param('expiresAt'), ttlMs: param('ttlMs') }),
      })
      .onConflict((conflict) => conflict.column('run_id').doNothing())
      .returningAll(),
);

const grantLease = defineQuery<
  GrantArgs & { fence: number; nextFence: number },
  QueueLeasesTable,
  LeaseClockShape
>(({ db, param, dialect, shape }) =>
  db
    .updateTable('queue_leases')
    .set({
      owner: param('owner'),
      fence: param('nextFence'),
      expires_at: leaseEnd(dialect, shape.clock, { expiresAt: param('expiresAt'), ttlMs: param('ttlMs') }),
    })
    .where('run_id', '=', param('runId'))
    .where('fence', '=', param('fence'))
    .returningAll(),
);

const renewLease = defineQuery<
  { runId: string; fence: number; now: number; expiresAt: number; ttlMs: number },
  QueueLeasesTable,
  LeaseClockShape
>(({ db, param, dialect, shape }) =>
  db
    .updateTable('queue_leases')
    .set({
      expires_at: leaseEnd(dialect, shape.clock, { expiresAt: param('expiresAt'), ttlMs: param('ttlMs') }),
    })
    .where('run_id', '=', param('runId'))
    .where('fence', '=', param('fence'))
    .where('expires_at', '>=', leasePresent(dialect, shape.clock, param('now')))
    .returningAll(),
);

// expired under any clock; the fence stays, so whoever acquires next gets a fresh one
const releaseLease = defineQuery<{ runId: string; fence: number }, never>(({ db, param }) =>
  db
    .updateTable('queue_leases')
    .set({ expires_at: 0 })
    .where('run_id', '=', param('runId'))
    .where('fence', '=', param('fence')),
);

/**
 * Takes a run's queue lease when it is free or expired (the new holder gets fence + 1 and
 * `queue.lease` is appended), renews it when `owner` already holds it, or returns null while
 * another owner's lease is unexpired. Expiry is judged by the board's lease clock.
 */
export async function acquireQueueLease(
  runner: SqlRunner,
  input: AcquireQueueLeaseRequest,
  context: OperationContext,
): Promise<QueueLease | null> {
  const request = parseInput(AcquireQueueLeaseRequest, input, 'queue lease request');
  await assertRunExists(runner, request.runId);
  const now = context.clock();
  const shape: LeaseClockShape = { clock: context.leaseClock };
  const grant: GrantArgs = {
    runId: request.runId,
    owner: request.owner,
    expiresAt: now + request.ttlMs,
    ttlMs: request.ttlMs,
  };
  // twice at most: when a concurrent acquirer creates the row first, its lease is judged like any other
  for (let attempt = 0; attempt < 2; attempt++) {
    const [current] = await runner.all(
      selectLease,
      { runId: request.runId, now },
      { ...shape, lock: 'update' },
    );
    if (!current) {
      const [inserted] = await runner.all(insertLease, grant, shape);
      if (inserted) return announce(runner, queueLeaseFromRow(inserted), now);
      continue;
    }
    const live = Number(current.live) === 1;
    if (live && current.owner !== request.owner) return null;
    const currentFence = Number(current.fence);
    // an expired lease is a new holding even for the same owner: its old fence must stay stale
    const nextFence = live ? currentFence : currentFence + 1;
    const [row] = await runner.all(grantLease, { ...grant, fence: currentFence, nextFence }, shape);
    if (!row) continue;
    const lease = queueLeaseFromRow(row);
    return nextFence === currentFence ? lease : announce(runner, lease, now);
  }
  return null;
}

async function announce(runner: SqlRunner, lease: QueueLease, now: number): Promise<QueueLease> {
  await writeEvent(
    runner,
    { runId: lease.runId, type: 'queue.lease', payload: { owner: lease.owner, fence: lease.fence } },
    now,
  );
  return lease;
}

/** Extends the queue lease a fence holds; StaleQueueFenceError when it is not current or expired. */
export async function renewQueueLease(
  runner: SqlRunner,
  input: RenewQueueLeaseRequest,
  context: OperationContext,
): Promise<QueueLease> {
  const request = parseInput(RenewQueueLeaseRequest, input, 'queue lease renewal');
  const now = context.clock();
  const args = { ...request, now, expiresAt: now + request.ttlMs };
  const [row] = await runner.all(renewLease, args, { clock: context.leaseClock });
  if (row) return queueLeaseFromRow(row);
  return rejectQueueFence(runner, request.runId, request.fence, context);
}

/** Gives the queue lease back so another runner may take it at once; does nothing when the fence is not current. */
export async function releaseQueueLease(runner: SqlRunner, input: ReleaseQueueLeaseRequest): Promise<void> {
  const request = parseInput(ReleaseQueueLeaseRequest, input, 'queue lease release');
  await runner.run(releaseLease, request);
}

/**
 * Checks, inside a write, that `fence` is the run's current, unexpired queue lease, and keeps a
 * takeover from committing before the write does; throws StaleQueueFenceError otherwise.
 */
export async function requireQueueLease(
  runner: SqlRunner,
  runId: string,
  presented: number,
  context: OperationContext,
): Promise<void> {
  const now = context.clock();
  const shape: LockShape = { clock: context.leaseClock, lock: 'share' };
  const [row] = await runner.all(selectLease, { runId, now }, shape);
  if (row && Number(row.fence) === presented && Number(row.live) === 1) return;
  throw staleQueueFence(runId, presented, row);
}

async function rejectQueueFence(
  runner: SqlRunner,
  runId: string,
  presented: number,
  context: OperationContext,
): Promise<never> {
  const shape: LockShape = { clock: context.leaseClock, lock: 'share' };
  const [row] = await runner.all(selectLease, { runId, now: context.clock() }, shape);
  throw staleQueueFence(runId, presented, row);
}

function staleQueueFence(runId: string, presented: number, row: LeaseRow | undefined) {
  if (!row) return new StaleQueueFenceError(runId, presented, 0, 'free');
  const state = Number(row.live) === 1 ? 'held' : 'expired';
  return new StaleQueueFenceError(runId, presented, Number(row.fence), state);
}
