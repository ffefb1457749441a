import type { Pool, PoolClient } from 'pg';
import { BoardClosedError, ConnectionLostError, OutcomeUnknownError } from '../errors.ts';
import type { ExecuteOptions, SqlExecutor, SqlRunner } from '../sql/executor.ts';
import { bindArguments, type PreparedQuery } from '../sql/query.ts';
import {
  defaultRetryPolicy,
  isConnectionError,
  type RetryPolicy,
  retryOnConnectionLoss,
} from './connection-errors.ts';

/** Options for the PostgreSQL executor. */
export interface PostgresExecutorOptions {
  /** A pool whose clients run in pipeline mode (see openPostgresBoard). */
  pool: Pool;
  /** The connection string without its password, for error messages. */
  location: string;
  retry?: RetryPolicy;
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
 * Statement names are per executor: every pooled connection prepares a query the first time it
 * runs it and afterwards only binds values, as the SQLite executor does with its statement cache.
 */
function createStatementNames() {
  const names = new Map<string, string>();
  return (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `cadre_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
}

function createRunner(client: PoolClient, nameOf: (text: string) => string): SqlRunner {
  const execute = async (query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape: unknown) => {
    const compiled = query.compile('postgres', shape);
    return client.query({
      name: nameOf(compiled.sql),
      text: compiled.sql,
      values: bindArguments(compiled, args as Record<string, unknown>),
    });
  };
  const runner = {
    async all(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      return (await execute(query, args, shape)).rows;
    },
    async run(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      return (await execute(query, args, shape)).rowCount ?? 0;
    },
  };
  return runner as SqlRunner;
}

/**
 * Runs board operations on PostgreSQL: each write in its own READ COMMITTED transaction on a
 * pooled connection, each read on the pool. Connections run in pipeline mode, so BEGIN travels
 * with an operation's first statement instead of costing a round trip of its own.
 *
 * A lost connection is retried with backoff when that is safe: reads always, writes when the
 * connection broke before COMMIT was sent (the server rolls such a transaction back). A write
 * whose COMMIT was in flight may or may not have been applied and fails with OutcomeUnknownError.
 */
export function createPostgresExecutor(options: PostgresExecutorOptions): SqlExecutor {
  const { pool, location } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const nameOf = createStatementNames();
  const listeners = new Set<() => void>();
  const watched = new WeakSet<PoolClient>();
  let closed = false;

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

  const write = async <T>(work: (runner: SqlRunner) => Promise<T>, signal?: AbortSignal): Promise<T> => {
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
    async write<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      if (closed) throw new BoardClosedError();
      const value = await write(work, executeOptions?.signal);
      for (const listener of listeners) listener();
      return value;
    },
    async read<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      if (closed) throw new BoardClosedError();
      return read(work, executeOptions?.signal);
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await pool.end();
    },
  };
}
