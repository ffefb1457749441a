import type { Pool, PoolClient } from 'pg';
import { BoardClosedError, ConnectionLostError, OutcomeUnknownError } from '../errors.ts';
import type { ExecuteOptions, SqlExecutor, SqlRunner } from '../sql/executor.ts';
import { createWriteQueue, type PendingWrite, settleBatch } from '../sql/write-queue.ts';
import {
  defaultRetryPolicy,
  isConnectionError,
  type RetryPolicy,
  retryOnConnectionLoss,
} from './connection-errors.ts';
import { createRunner, createStatementNames } from './postgres-runner.ts';
import { runWriteBatch } from './write-batch.ts';

/** Options for the PostgreSQL executor. */
export interface PostgresExecutorOptions {
  /** A pool whose clients run in pipeline mode (see openPostgresBoard). */
  pool: Pool;
  /** The connection string without its password, for error messages. */
  location: string;
  retry?: RetryPolicy;
  /** Most writes grouped into one transaction. */
  maxBatch?: number;
}

/** Where a write stood when its connection broke: before COMMIT nothing can have been applied. */
type WriteStage = 'before-commit' | 'committing';

class WriteFailure extends Error {
  constructor(
    readonly stage: WriteStage,
    override readonly cause: unknown,
  ) {
    super('write failed');
  }
}

/**
 * Runs board operations on PostgreSQL with group commit, like the SQLite executor: writes
 * requested while a transaction is in progress queue up and share the next READ COMMITTED
 * transaction on one pooled connection — its COMMIT, its hold of the event-order lock and its
 * NOTIFY (PostgreSQL folds identical notifications of a transaction into one). Reads run on the
 * rest of the pool. Connections run in pipeline mode, so BEGIN travels with the first statement.
 *
 * A batch is first run pipelined: all its operations at once, their statements interleaved on the
 * wire, so the batch costs a few round trips instead of one per statement. Before COMMIT the
 * order the statements were sent is checked (see isSerialEquivalent); a batch that would not
 * match running its operations one after another (a multi-statement operation such as a task
 * batch) is rolled back and run again in order. A batch that cannot commit whole (an operation
 * failed after writing, the connection broke before COMMIT) is rolled back and each of its
 * operations runs again alone, in its own transaction.
 *
 * A lost connection is retried with backoff when that is safe: reads always, writes when the
 * connection broke before COMMIT was sent (the server rolls such a transaction back). A write
 * whose COMMIT was in flight may or may not have been applied and fails with OutcomeUnknownError.
 */
export function createPostgresExecutor(options: PostgresExecutorOptions): SqlExecutor {
  const { pool, location } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const nameOf = createStatementNames();
  const watched = new WeakSet<PoolClient>();

  // a checked-out client whose server goes away emits 'error' besides failing its query; the
  // query's failure is what callers see, and an unheard 'error' event would end the process
  const connect = async () => {
    const client = await pool.connect();
    if (!watched.has(client)) {
      watched.add(client);
      client.on('error', () => {});
    }
    return client;
  };

  const attemptWrite = async <T>(work: (runner: SqlRunner) => Promise<T>): Promise<T> => {
    let client: PoolClient;
    try {
      client = await connect();
    } catch (error) {
      throw new WriteFailure('before-commit', error);
    }
    let stage: WriteStage = 'before-commit';
    let broken: unknown;
    try {
      const begun = client.query('BEGIN');
      begun.catch(() => {});
      let value: T;
      try {
        value = await work(createRunner(client, nameOf));
        await begun;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
      stage = 'committing';
      await client.query('COMMIT');
      return value;
    } catch (error) {
      if (isConnectionError(error)) {
        broken = error;
        throw new WriteFailure(stage, error);
      }
      throw error;
    } finally {
      // a client whose connection broke must not go back into the pool
      client.release(broken instanceof Error ? broken : undefined);
    }
  };

  /** One write in a transaction of its own, retried after a lost connection when that is safe. */
  const writeAlone = async <T>(work: (runner: SqlRunner) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try {
      return await retryOnConnectionLoss(
        async () => {
          signal?.throwIfAborted();
          try {
            return await attemptWrite(work);
          } catch (error) {
            // only failures before COMMIT are safe to repeat; unwrap them so the retry loop sees them
            if (error instanceof WriteFailure && error.stage === 'before-commit') throw error.cause;
            throw error;
          }
        },
        policy,
        signal,
      );
    } catch (error) {
      if (error instanceof WriteFailure) throw new OutcomeUnknownError(location, error.cause);
      if (isConnectionError(error)) throw new ConnectionLostError(location, error);
      throw error;
    }
  };

  const settleAlone = async (batch: readonly PendingWrite[]) => {
    // one after another, in the order they were asked for, as a batch would have run them
    for (const pending of batch) {
      await writeAlone(pending.work, pending.signal).then(pending.resolve, pending.reject);
    }
  };

  const runBatch = async (batch: readonly PendingWrite[]) => {
    // a single write needs no batch bookkeeping, and alone it is retried in place
    if (batch.length === 1) return settleAlone(batch);
    let client: PoolClient;
    try {
      client = await connect();
    } catch {
      return settleAlone(batch);
    }
    let result = await runWriteBatch(client, batch, nameOf, 'pipelined');
    if (result.type === 'reorder') result = await runWriteBatch(client, batch, nameOf, 'in-order');
    // a client whose connection broke must not go back into the pool
    client.release(result.type === 'split' || result.type === 'unknown' ? result.broken : undefined);
    if (result.type === 'unknown') {
      for (const pending of batch) pending.reject(new OutcomeUnknownError(location, result.broken));
      return;
    }
    // (in order, a batch never asks to be reordered; alone is the safe answer if it did)
    if (result.type === 'split' || result.type === 'reorder') return settleAlone(batch);
    settleBatch(batch, result.outcomes);
  };

  // listeners hear of every batch, whatever became of it: a reader catching up costs little
  const flush = async (batch: readonly PendingWrite[]) => {
    await runBatch(batch);
    return true;
  };
  const queue = createWriteQueue({ maxBatch: options.maxBatch, flush });

  const read = async <T>(work: (runner: SqlRunner) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try {
      return await retryOnConnectionLoss(
        async () => {
          signal?.throwIfAborted();
          const client = await connect();
          let broken: Error | undefined;
          try {
            return await work(createRunner(client, nameOf));
          } catch (error) {
            if (isConnectionError(error)) broken = error as Error;
            throw error;
          } finally {
            client.release(broken);
          }
        },
        policy,
        signal,
      );
    } catch (error) {
      if (isConnectionError(error)) throw new ConnectionLostError(location, error);
      throw error;
    }
  };

  return {
    dialect: 'postgres',
    write<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      return queue.push(work, executeOptions?.signal);
    },
    async read<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      if (queue.closed) throw new BoardClosedError();
      return read(work, executeOptions?.signal);
    },
    onCommit: (listener) => queue.onCommit(listener),
    async close() {
      if (queue.closed) return;
      await queue.close();
      await pool.end();
    },
  };
}
