import Database from 'better-sqlite3';

/** Options for the raw SQLite baseline. */
export interface RawSqliteBaselineOptions {
  /** Where to create the scratch database file. */
  path: string;
  /** How many single-row UPDATE transactions to time. */
  writes: number;
}

/**
 * The ceiling the board is compared against: better-sqlite3 on the same kind of file (WAL,
 * synchronous NORMAL), one prepared single-row UPDATE per IMMEDIATE transaction, nothing else.
 */
export function measureRawSqliteWrites(options: RawSqliteBaselineOptions): number {
  const database = new Database(options.path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.exec('create table rows (id integer primary key, status text not null, fence integer not null)');
    const rows = Math.max(1, Math.min(options.writes, 20_000));
    const insert = database.prepare("insert into rows (status, fence) values ('open', 0)");
    database.transaction(() => {
      for (let index = 0; index < rows; index++) insert.run();
    })();
    const update = database.prepare('update rows set fence = fence + 1 where id = ?');
    const begin = database.prepare('BEGIN IMMEDIATE');
    const commit = database.prepare('COMMIT');
    const started = performance.now();
    for (let index = 0; index < options.writes; index++) {
      begin.run();
      update.run((index % rows) + 1);
      commit.run();
    }
    return options.writes / ((performance.now() - started) / 1000);
  } finally {
    database.close();
  }
}
