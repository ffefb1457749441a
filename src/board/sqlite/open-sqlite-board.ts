import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { BoardError, MissingBoardError, NotABoardError, SchemaTooNewError } from '../errors.ts';
import type { ChangeSource } from '../follow-events.ts';
import { boardFormat, boardMigrations, currentSchemaVersion, setSchemaVersionStatement } from '../schema.ts';
import { type BoardOptions, createSqlTaskBoard } from '../sql-task-board.ts';
import type { TaskBoard } from '../task-board.ts';
import { createSqliteExecutor } from './sqlite-executor.ts';

/** How to open a SQLite board. */
export interface SqliteBoardOptions extends BoardOptions {
  /** The board file; created (with its directory) when missing unless `create` is false. */
  path: string;
  /** Refuse to create a board that does not exist yet (for read-only commands). Default true. */
  create?: boolean;
  /** How long a writer waits for another process's write lock before failing (default 30 s). */
  busyTimeoutMs?: number;
}

const sqliteHeader = 'SQLite format 3\0';

/** Checks an existing file before anything writes to it, so a wrong --db is refused untouched. */
function inspectExisting(path: string) {
  const size = statSync(path).size;
  if (size === 0) return;
  const header = Buffer.alloc(16);
  const descriptor = openSync(path, 'r');
  try {
    readSync(descriptor, header, 0, 16, 0);
  } finally {
    closeSync(descriptor);
  }
  if (header.toString('latin1') !== sqliteHeader)
    throw new NotABoardError(path, 'it is not an SQLite database');
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const meta = readMeta(database, path);
    if (meta && meta.version > currentSchemaVersion) {
      throw new SchemaTooNewError(path, meta.version, currentSchemaVersion);
    }
  } finally {
    database.close();
  }
}

function readMeta(database: Database.Database, path: string): { format: string; version: number } | null {
  const tables = database
    .prepare("select name from sqlite_master where type = 'table'")
    .pluck()
    .all() as string[];
  if (!tables.includes('cadre_meta')) {
    if (tables.length > 0)
      throw new NotABoardError(path, `it has tables (${tables.slice(0, 3).join(', ')}) but no cadre_meta`);
    return null;
  }
  const rows = database.prepare('select key, value from cadre_meta').all() as {
    key: string;
    value: string;
  }[];
  const meta = new Map(rows.map((row) => [row.key, row.value]));
  const format = meta.get('format') ?? '';
  if (format !== boardFormat) throw new NotABoardError(path, `its cadre_meta format is "${format}"`);
  const version = Number(meta.get('schema_version'));
  if (!Number.isInteger(version)) throw new NotABoardError(path, 'its schema_version is not a number');
  return { format, version };
}

function migrate(database: Database.Database, path: string) {
  // IMMEDIATE: two processes opening a new board at once must not both create the tables
  database.prepare('BEGIN IMMEDIATE').run();
  try {
    const meta = readMeta(database, path);
    const from = meta?.version ?? 0;
    if (from > currentSchemaVersion) throw new SchemaTooNewError(path, from, currentSchemaVersion);
    for (const migration of boardMigrations) {
      if (migration.version <= from) continue;
      for (const statement of migration.statements('sqlite')) {
        database.prepare(statement.sql).run(...(statement.parameters as unknown[]));
      }
      const setVersion = setSchemaVersionStatement('sqlite', migration.version);
      database.prepare(setVersion.sql).run(...(setVersion.parameters as unknown[]));
    }
    database.prepare('COMMIT').run();
  } catch (error) {
    if (database.inTransaction) database.prepare('ROLLBACK').run();
    throw error;
  }
}

function openConnection(path: string, busyTimeoutMs: number) {
  const database = new Database(path, { timeout: busyTimeoutMs });
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives the death of any process; only an OS
  // crash or power cut can drop the last commits, and the file stays consistent either way
  database.pragma('synchronous = NORMAL');
  // a board of a long run holds hundreds of thousands of rows; keep its hot pages in memory
  database.pragma('cache_size = -65536');
  return database;
}

/** Notices writes by other processes through inotify on the board's directory (no disk polling). */
function watchFile(path: string): ChangeSource {
  return (listener) => {
    const name = basename(path);
    try {
      const watcher = watch(dirname(path), (_event, file) => {
        if (file === null || file.startsWith(name)) listener();
      });
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    } catch {
      // no watcher (exotic file system): the follower's fallback timer still catches up
      return () => {};
    }
  };
}

function asBoardError(error: unknown, path: string): unknown {
  if (error instanceof BoardError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return new NotABoardError(path, (error as Error).message);
  return error;
}

/** Opens (creating and migrating when needed) a board stored in one SQLite file in WAL mode. */
export function openSqliteBoard(options: SqliteBoardOptions): TaskBoard {
  const path = resolve(options.path);
  const exists = existsSync(path);
  if (!exists && options.create === false) {
    throw new MissingBoardError(path);
  }
  try {
    if (exists) inspectExisting(path);
    else mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw asBoardError(error, path);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 30_000;
  let writer: Database.Database | undefined;
  let reader: Database.Database | undefined;
  try {
    writer = openConnection(path, busyTimeoutMs);
    migrate(writer, path);
    reader = openConnection(path, busyTimeoutMs);
  } catch (error) {
    reader?.close();
    writer?.close();
    throw asBoardError(error, path);
  }
  return createSqlTaskBoard({
    ...options,
    backend: 'sqlite',
    location: path,
    executor: createSqliteExecutor({ writer, reader }),
    externalChanges: watchFile(path),
  });
}
