import type { ClientBase } from 'pg';
import { MissingBoardError, NotABoardError, SchemaTooNewError } from '../errors.ts';
import { boardFormat, boardMigrations, currentSchemaVersion, setSchemaVersionStatement } from '../schema.ts';

// one fixed key: advisory locks are per database, and every cadre process that opens this database
// must queue on the same one while it checks or creates the schema
const migrationLockKey = 0x63616472;

async function readMeta(client: ClientBase, location: string) {
  const tables = await client.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = current_schema() order by table_name',
  );
  const names = tables.rows.map((row) => row.table_name);
  if (!names.includes('cadre_meta')) {
    if (names.length > 0)
      throw new NotABoardError(location, `it has tables (${names.slice(0, 3).join(', ')}) but no cadre_meta`);
    return null;
  }
  const rows = await client.query<{ key: string; value: string }>('select key, value from cadre_meta');
  const meta = new Map(rows.rows.map((row) => [row.key, row.value]));
  const format = meta.get('format') ?? '';
  if (format !== boardFormat) throw new NotABoardError(location, `its cadre_meta format is "${format}"`);
  const version = Number(meta.get('schema_version'));
  if (!Number.isInteger(version)) throw new NotABoardError(location, 'its schema_version is not a number');
  return { format, version };
}

/**
 * Checks the database is a cadre board this cadre understands and brings its schema up to date,
 * with the same migrations as SQLite. Everything happens in one transaction under an advisory
 * lock, so processes opening a new board at once create it once, and a database that is refused
 * (not a board, a newer schema) is left exactly as it was.
 */
export async function preparePostgresSchema(
  client: ClientBase,
  location: string,
  options: { create: boolean },
): Promise<void> {
  await client.query('begin');
  try {
    await client.query('select pg_advisory_xact_lock($1)', [migrationLockKey]);
    const meta = await readMeta(client, location);
    if (!meta && !options.create) throw new MissingBoardError(location);
    const from = meta?.version ?? 0;
    if (from > currentSchemaVersion) throw new SchemaTooNewError(location, from, currentSchemaVersion);
    for (const migration of boardMigrations) {
      if (migration.version <= from) continue;
      for (const statement of migration.statements('postgres')) {
        await client.query(statement.sql, statement.parameters as unknown[]);
      }
      const setVersion = setSchemaVersionStatement('postgres', migration.version);
      await client.query(setVersion.sql, setVersion.parameters as unknown[]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}
