import type BetterSqlite3 from 'better-sqlite3';
import { BoardClosedError } from '../errors.ts';
import type { ExecuteOptions, SqlExecutor, SqlRunner } from '../sql/executor.ts';
import { bindArguments, type PreparedQuery } from '../sql/query.ts';

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

interface PendingWrite {
  work: (runner: SqlRunner) => Promise<unknown>;
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

function createRunner(database: Database): SqlRunner {
  const statements = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const runner = {
    async all(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      const compiled = query.compile('sqlite', shape);
      const statement = prepare(compiled.sql);
      const values = bindArguments(compiled, args as Record<string, unknown>);
      if (statement.reader) return statement.all(...values);
      statement.run(...values);
      return [];
    },
    async run(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      const compiled = query.compile('sqlite', shape);
      const statement = prepare(compiled.sql);
      const values = bindArguments(compiled, args as Record<string, unknown>);
      if (statement.reader) return statement.all(...values).length;
      return statement.run(...values).changes;
    },
  };
  return runner as SqlRunner;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('the operation was aborted', 'AbortError');
}

/**
 * Runs board operations on SQLite with group commit: writes requested while a commit is being
 * prepared are run one after another inside one IMMEDIATE transaction, each in its own savepoint
 * so a failing operation rolls back alone. Every operation is still atomic and its promise settles
 * only after the commit, but many concurrent operations share the cost of one commit.
 */
export function createSqliteExecutor(options: SqliteExecutorOptions): SqlExecutor {
  const { writer, reader } = options;
  const maxBatch = options.maxBatch ?? 512;
  const writeRunner = createRunner(writer);
  const readRunner = createRunner(reader);
  const begin = writer.prepare('BEGIN IMMEDIATE');
  const commit = writer.prepare('COMMIT');
  const rollback = writer.prepare('ROLLBACK');
  const savepoint = writer.prepare('SAVEPOINT operation');
  const rollbackToSavepoint = writer.prepare('ROLLBACK TO operation');
  const releaseSavepoint = writer.prepare('RELEASE operation');
  const listeners = new Set<() => void>();
  const queue: PendingWrite[] = [];
  let flushing: Promise<void> | null = null;
  let scheduled = false;
  let closed = false;

  const schedule = () => {
    if (scheduled || flushing || queue.length === 0) return;
    scheduled = true;
    // setImmediate, not a microtask: every caller that resumes after the previous commit gets to
    // enqueue its next write before this batch starts
    setImmediate(() => {
      scheduled = false;
      flushing = flush().finally(() => {
        flushing = null;
        schedule();
      });
    });
  };

  const flush = async () => {
    const batch = queue.splice(0, maxBatch);
    const outcomes: ({ type: 'value'; value: unknown } | { type: 'error'; error: unknown })[] = [];
    try {
      begin.run();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    try {
      for (const pending of batch) {
        if (pending.signal?.aborted) {
          outcomes.push({ type: 'error', error: abortError(pending.signal) });
          continue;
        }
        savepoint.run();
        try {
          const value = await pending.work(writeRunner);
          releaseSavepoint.run();
          outcomes.push({ type: 'value', value });
        } catch (error) {
          rollbackToSavepoint.run();
          releaseSavepoint.run();
          outcomes.push({ type: 'error', error });
        }
      }
      commit.run();
    } catch (error) {
      if (writer.inTransaction) rollback.run();
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome?.type === 'value') pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
    for (const listener of listeners) listener();
  };

  return {
    dialect: 'sqlite',
    write<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      if (closed) return Promise.reject(new BoardClosedError());
      const signal = executeOptions?.signal;
      if (signal?.aborted) return Promise.reject(abortError(signal));
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, signal, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    async read<T>(work: (runner: SqlRunner) => Promise<T>, executeOptions?: ExecuteOptions) {
      if (closed) throw new BoardClosedError();
      const signal = executeOptions?.signal;
      if (signal?.aborted) throw abortError(signal);
      return work(readRunner);
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      while (flushing || scheduled || queue.length > 0) {
        if (flushing) await flushing;
        else await new Promise((resolve) => setImmediate(resolve));
      }
      listeners.clear();
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}
