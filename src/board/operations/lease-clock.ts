import { type Expression, sql } from 'kysely';
import type { Dialect } from '../sql/query.ts';

/**
 * Whose clock sets and judges lease expiries. `process`: the board's `clock` option (Date.now
 * unless a test injects one) — right for SQLite, whose processes share one machine's clock.
 * `database`: the PostgreSQL server's, so that processes on machines whose clocks disagree still
 * agree on when a lease ends.
 */
export type LeaseClock = 'process' | 'database';

/** The query shape part that picks a lease clock; the SQL text differs between the two. */
export interface LeaseClockShape {
  clock: LeaseClock;
}

/**
 * The server's current time in epoch milliseconds. clock_timestamp(), not now(): now() is frozen
 * when the transaction begins, and group commit runs up to hundreds of operations in one
 * transaction, some of them waiting for row locks, so an expiry set from now() would be shorter
 * than asked by however long the batch had been running (statement_timestamp() likewise loses a
 * statement's wait for a lock). clock_timestamp() is the moment the row is written or judged, so
 * a lease lasts its full TTL from its write and is expired only once that much server time passed.
 */
function serverNowMs(dialect: Dialect) {
  if (dialect !== 'postgres')
    throw new Error('only a PostgreSQL board keeps lease time by the database clock');
  return sql<number>`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;
}

/** The present a lease is judged against: the caller's `now` argument, or the server's clock. */
export function leasePresent(dialect: Dialect, clock: LeaseClock, now: number): Expression<number> {
  return clock === 'database' ? serverNowMs(dialect) : sql<number>`${now}`;
}

/**
 * When a lease granted or extended now ends: the caller's `expiresAt` argument (its clock plus
 * the TTL), or the server's clock plus `ttlMs` at the moment of the write.
 */
export function leaseEnd(
  dialect: Dialect,
  clock: LeaseClock,
  times: { expiresAt: number; ttlMs: number },
): Expression<number> {
  return clock === 'database'
    ? sql<number>`${serverNowMs(dialect)} + ${times.ttlMs}`
    : sql<number>`${times.expiresAt}`;
}
