import type { CompiledQuery, Dialect, PreparedQuery } from './query.ts';

/** A value now (SQLite runs statements synchronously) or later (PostgreSQL); callers always await it. */
export type MaybePromise<T> = T | Promise<T>;

/** Runs prepared queries inside one transaction (or one read snapshot). */
export interface SqlRunner {
  /** Runs a query and returns its rows. */
  all<Params, Row, Shape>(
    query: PreparedQuery<Params, Row, Shape>,
    args: Params,
    ...shape: Shape extends undefined ? [] : [Shape]
  ): MaybePromise<Row[]>;
  /** Runs a statement and returns how many rows it changed. */
  run<Params, Row, Shape>(
    query: PreparedQuery<Params, Row, Shape>,
    args: Params,
    ...shape: Shape extends undefined ? [] : [Shape]
  ): MaybePromise<number>;
}

/** Options every executor call takes. */
export interface ExecuteOptions {
  signal?: AbortSignal | undefined;
}

/**
 * The one seam between the board's operations and a database. Operations are written once as
 * async functions over a `SqlRunner`; each backend decides how transactions are run (SQLite
 * groups concurrent writes into one commit, PostgreSQL uses a pool).
 */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Runs `work` atomically: all of its statements take effect or none do. */
  write<T>(work: (runner: SqlRunner) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  /** Runs `work` against committed state only. */
  read<T>(work: (runner: SqlRunner) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  /** Registers a listener called after every commit this process makes that appended events. */
  onCommit(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Argument binding shared by executors. */
export type { CompiledQuery };
