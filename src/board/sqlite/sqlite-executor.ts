import type BetterSqlite3 from 'better-sqlite3';
import { BoardClosedError } from '../errors.ts';
import type { ExecuteOptions, SqlExecutor, SqlRunner } from '../sql/executor.ts';
import { bindArguments, type PreparedQuery } from '../sql/query.ts';
import {
  abortError,
  abortedOutcome,
  createWriteQueue,
  type Outcome,
  type PendingWrite,
  settleBatch,
} from '../sql/write-queue.ts';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/** Options for the SQLite executor. */
export interface SqliteExecutorOptions {
  /** The connection all writes go through. */
  writer: Database;
  /** A second connection on the same file for reads, so reads never see a batch in progress. */
  reader: Database;
  /** Most writes grouped into one commit. */
  maxBatch?: number;
}

/** A runner that also counts the statements it ran that can change the database. */
interface CountingRunner extends SqlRunner {
  readonly writes: number;
}

/** Runs statements synchronously: awaiting a plain value costs one microtask, an async call more. */
function createRunner(database: Database): CountingRunner {
  const statements = new Map<string, Statement>();
  let writes = 0;
  const execute = (query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape: unknown) => {
    const compiled = query.compile('sqlite', shape);
    let statement = statements.get(compiled.sql);
    if (!statement) {
      statement = database.prepare(compiled.sql);
      statements.set(compiled.sql, statement);
    }
    if (!statement.readonly) writes++;
    return { statement, values: bindArguments(compiled, args as Record<string, unknown>) };
  };
  const runner = {
    get writes() {
      return writes;
    },
    all(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      const { statement, values } = execute(query, args, shape);
      if (statement.reader) return statement.all(...values);
      statement.run(...values);
      return [];
    },
    run(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      const { statement, values } = execute(query, args, shape);
      if (statement.reader) return statement.all(...values).length;
      return statement.run(...values).changes;
    },
  };
  return runner as CountingRunner;
}

/**
 * Runs board operations on SQLite with group commit: writes requested while a commit is being
 * prepared run one after another inside one IMMEDIATE transaction and share its commit; each
 * promise settles only after that commit. An operation that fails before it wrote anything (bad
 * input, a stale fence, an unknown id: nearly every failure) simply fails. One that fails after
 * writing would leave half its work in the shared transaction, so the whole batch is rolled back
 * and every operation of it runs again alone — atomicity per operation without paying for a
 * savepoint around each one.
 */
export function createSqliteExecutor(options: SqliteExecutorOptions): SqlExecutor {
  const { writer, reader } = options;
  const writeRunner = createRunner(writer);
  const readRunner = createRunner(reader);
  const begin = writer.prepare('BEGIN IMMEDIATE');
  const commit = writer.prepare('COMMIT');
  const rollback = writer.prepare('ROLLBACK');

  const abandon = () => {
    if (writer.inTransaction) rollback.run();
  };

  /** Runs a batch in one transaction; returns null when an operation failed after writing. */
  const runTogether = async (batch: readonly PendingWrite[]): Promise<Outcome[] | null> => {
    const outcomes: Outcome[] = [];
    begin.run();
    for (const pending of batch) {
      const aborted = abortedOutcome(pending);
      if (aborted) {
        outcomes.push(aborted);
        continue;
      }
      const writesBefore = writeRunner.writes;
      try {
        outcomes.push({ type: 'value', value: await pending.work(writeRunner) });
      } catch (error) {
        if (writeRunner.writes !== writesBefore) {
          abandon();
          return null;
        }
        outcomes.push({ type: 'error', error });
      }
    }
    commit.run();
    return outcomes;
  };

  const runAlone = async (pending: PendingWrite): Promise<Outcome> => {
    const aborted = abortedOutcome(pending);
    if (aborted) return aborted;
    begin.run();
    try {
      const value = await pending.work(writeRunner);
      commit.run();
      return { type: 'value', value };
    } catch (error) {
      abandon();
      return { type: 'error', error };
    }
  };

  const flush = async (batch: readonly PendingWrite[]) => {
    let outcomes: Outcome[] | null;
    try {
      outcomes = await runTogether(batch);
      if (outcomes === null) {
        outcomes = [];
        for (const pending of batch) outcomes.push(await runAlone(pending));
      }
    } catch (error) {
      // BEGIN or COMMIT failed (busy past the timeout, disk full): nothing of the batch happened
      abandon();
      for (const pending of batch) pending.reject(error);
      return false;
    }
    settleBatch(batch, outcomes);
    return true;
  };

  const queue = createWriteQueue({ maxBatch: options.maxBatch, flush });

  return {
    dialect: 'sqlite',
    write<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      return queue.push(work, executeOptions?.signal);
    },
    async read<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      if (queue.closed) throw new BoardClosedError();
      const signal = executeOptions?.signal;
      if (signal?.aborted) throw abortError(signal);
      return work(readRunner);
    },
    onCommit: (listener) => queue.onCommit(listener),
    async close() {
      if (queue.closed) return;
      await queue.close();
      reader.close();
      writer.close();
    },
  };
}
