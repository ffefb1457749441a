import pg from 'pg';

// what decides how fast a commit can be, and how big the server is
const shownSettings = [
  'server_version',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'wal_sync_method',
  'wal_level',
  'commit_delay',
  'shared_buffers',
  'max_connections',
] as const;

/** The server settings the PostgreSQL bench prints beside its figures, as `SHOW` gives them. */
export type PostgresServerSettings = Record<(typeof shownSettings)[number], string>;

/** Reads the settings a reader needs to judge the figures (durability first) from the server measured. */
export async function readServerSettings(url: string): Promise<PostgresServerSettings> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; value: string }>(
      'select name, current_setting(name) as value from unnest($1::text[]) as name',
      [shownSettings],
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.value])) as PostgresServerSettings;
  } finally {
    await client.end();
  }
}
