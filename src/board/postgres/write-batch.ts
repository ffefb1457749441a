import type { PoolClient } from 'pg';
import { abortedOutcome, type Outcome, type PendingWrite } from '../sql/write-queue.ts';
import { isConnectionError } from './connection-errors.ts';
import { createRunner, type StatementNames, type TrackingRunner } from './postgres-runner.ts';
import { isSerialEquivalent } from './serial-order.ts';

/** How a batch's operations share its transaction's connection. */
export type BatchMode =
  /** All at once, their statements interleaved on the wire; committed only if serial-equivalent. */
  | 'pipelined'
  /** One after another, each awaiting the previous, as on SQLite. */
  | 'in-order';

/** What became of a batch tried as one transaction. */
export type BatchResult =
  /** Committed: every operation's outcome, in batch order. */
  | { type: 'committed'; outcomes: Outcome[] }
  /** Pipelined, it would not have matched running in order: nothing applied; run it again in order. */
  | { type: 'reorder' }
  /** Nothing was applied; each operation must run again alone. `broken` is set when the connection died. */
  | { type: 'split'; broken: Error | undefined }
  /** The connection died while COMMIT was in flight: the batch may or may not have been applied. */
  | { type: 'unknown'; broken: Error };

/** Thrown inside a batch to abandon it; carries what the caller should do next. */
class Abandon {
  constructor(readonly result: BatchResult) {}
}

/** Runs one operation, turning its failure into an outcome unless it leaves the batch unusable. */
async function attempt(
  pending: PendingWrite,
  runner: TrackingRunner,
  onDirty: BatchResult,
): Promise<Outcome> {
  const aborted = abortedOutcome(pending);
  if (aborted) return aborted;
  const changes = runner.changes;
  const failures = runner.failures;
  try {
    const value = await pending.work(runner);
    // an operation that swallowed a refused statement would turn COMMIT into a silent ROLLBACK
    if (runner.failures !== failures) throw new Abandon(onDirty);
    return { type: 'value', value };
  } catch (error) {
    if (error instanceof Abandon) throw error;
    if (isConnectionError(error)) throw new Abandon({ type: 'split', broken: error as Error });
    if (runner.changes !== changes || runner.failures !== failures) throw new Abandon(onDirty);
    return { type: 'error', error };
  }
}

async function runInOrder(client: PoolClient, batch: readonly PendingWrite[], nameOf: StatementNames) {
  const runner = createRunner(client, nameOf);
  const outcomes: Outcome[] = [];
  for (const pending of batch)
    outcomes.push(await attempt(pending, runner, { type: 'split', broken: undefined }));
  return outcomes;
}

async function runPipelined(client: PoolClient, batch: readonly PendingWrite[], nameOf: StatementNames) {
  const counter = { next: 0 };
  const runners = batch.map(() => createRunner(client, nameOf, counter));
  const settled = await Promise.allSettled(
    batch.map((pending, index) => attempt(pending, runners[index] as TrackingRunner, { type: 'reorder' })),
  );
  const outcomes: Outcome[] = [];
  let next: BatchResult | null = null;
  for (const result of settled) {
    if (result.status === 'fulfilled') outcomes.push(result.value);
    // a broken connection outranks a reorder: the rerun must not go to the same connection
    else if (next?.type !== 'split') next = (result.reason as Abandon).result;
  }
  if (next) throw new Abandon(next);
  // statements of failed operations that changed nothing are left out: they had no effect
  const effective = runners.filter(
    (runner, index) => outcomes[index]?.type === 'value' || runner.changes > 0,
  );
  if (!isSerialEquivalent(effective.map((runner) => runner.sent))) throw new Abandon({ type: 'reorder' });
  return outcomes;
}

/**
 * Runs a batch of writes in ONE transaction on `client`. An operation that fails having changed
 * nothing and with no statement refused simply fails (a stale fence, an unknown id, bad input:
 * nearly every failure). One that changed rows, or whose statement the server refused
 * (PostgreSQL then aborts the whole transaction), makes the batch roll back: pipelined, it is
 * tried again in order; in order, the caller reruns every operation alone, so each stays atomic.
 */
export async function runWriteBatch(
  client: PoolClient,
  batch: readonly PendingWrite[],
  nameOf: StatementNames,
  mode: BatchMode,
): Promise<BatchResult> {
  let outcomes: Outcome[];
  try {
    // pipelined: BEGIN travels with the first operation's first statement
    const begun = client.query('BEGIN');
    begun.catch(() => {});
    outcomes = await (mode === 'pipelined' ? runPipelined : runInOrder)(client, batch, nameOf);
    await begun;
  } catch (error) {
    // abandoned, or the connection broke (or BEGIN failed) before COMMIT was sent: nothing applied
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof Abandon) return error.result;
    return { type: 'split', broken: isConnectionError(error) ? (error as Error) : undefined };
  }
  try {
    await client.query('COMMIT');
  } catch (error) {
    if (isConnectionError(error)) return { type: 'unknown', broken: error as Error };
    // COMMIT refused (a deferred check): the server rolled the whole batch back
    return { type: 'split', broken: undefined };
  }
  return { type: 'committed', outcomes };
}
