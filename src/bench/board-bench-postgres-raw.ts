import pg from 'pg';

/** Options for the raw PostgreSQL baseline. */
export interface RawPostgresBaselineOptions {
  url: string;
  /** How many single-row UPDATE transactions to time. */
  writes: number;
}

/**
 * The PostgreSQL counterpart of the raw SQLite loop: one connection, one prepared single-row
 * UPDATE per transaction (autocommit), nothing else, against a temp table on the same server.
 */
export async function measureRawPostgresWrites(options: RawPostgresBaselineOptions): Promise<number> {
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query(
      'create temp table raw_rows (id bigint primary key, status text not null, fence int not null)',
    );
    const rows = Math.max(1, Math.min(options.writes, 20_000));
    await client.query("insert into raw_rows select g, 'open', 0 from generate_series(1, $1::int) g", [rows]);
    const started = performance.now();
    for (let index = 0; index < options.writes; index++) {
      await client.query({
        name: 'raw_update',
        text: 'update raw_rows set fence = fence + 1 where id = $1',
        values: [(index % rows) + 1],
      });
    }
    return options.writes / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}
