import { sql } from 'kysely';
import { eventTriggerStatements } from './postgres/event-trigger.ts';
import { compileOnce, type Dialect } from './sql/query.ts';

/** The value of `cadre_meta.format` on every board; anything else is not a board. */
export const boardFormat = 'cadre-board';

/** One step of the schema; steps run in order, each in its own transaction. */
export interface Migration {
  version: number;
  statements(dialect: Dialect): { sql: string; parameters: readonly unknown[] }[];
}

function initialSchema(dialect: Dialect) {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  const text = 'text';
  return [
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('cadre_meta')
        .addColumn('key', text, (column) => column.primaryKey())
        .addColumn('value', text, (column) => column.notNull()),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('runs')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('goal', text, (column) => column.notNull())
        .addColumn('config', text, (column) => column.notNull())
        .addColumn('status', text, (column) => column.notNull())
        .addColumn('budget_usd', 'double precision')
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('created_at', bigint, (column) => column.notNull())
        .addColumn('updated_at', bigint, (column) => column.notNull()),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('cycles')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('n', 'integer', (column) => column.notNull())
        .addColumn('status', text, (column) => column.notNull())
        .addColumn('verdict', text)
        .addColumn('started_at', bigint, (column) => column.notNull())
        .addColumn('ended_at', bigint)
        .addUniqueConstraint('cycles_run_n', ['run_id', 'n']),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('tasks')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('cycle_id', text)
        .addColumn('parent_id', text)
        .addColumn('kind', text, (column) => column.notNull())
        .addColumn('title', text, (column) => column.notNull())
        .addColumn('spec', text, (column) => column.notNull())
        .addColumn('acceptance', text, (column) => column.notNull())
        .addColumn('scope', text, (column) => column.notNull())
        .addColumn('scope_root', text, (column) => column.notNull())
        .addColumn('priority', 'integer', (column) => column.notNull())
        .addColumn('depends_on', text, (column) => column.notNull())
        .addColumn('blocked_count', 'integer', (column) => column.notNull())
        .addColumn('has_dependents', 'integer', (column) => column.notNull())
        .addColumn('status', text, (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull())
        .addColumn('lease_owner', text)
        .addColumn('lease_expires_at', bigint)
        .addColumn('fence', 'integer', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('result', text)
        .addColumn('handoff', text)
        .addColumn('failure_reason', text)
        .addColumn('created_at', bigint, (column) => column.notNull())
        .addColumn('updated_at', bigint, (column) => column.notNull()),
    ),
    // a partial index of the claimable rows only, covering the claim's filter: a claim reads its
    // first matching entry without touching the table, and a claimed task leaves one small entry
    compileOnce(dialect, (db) =>
      db.schema
        .createIndex('tasks_claimable')
        .on('tasks')
        .columns(['run_id', 'priority desc', 'id', 'kind'])
        .where((eb) => eb.and([eb(sql.ref('status'), '=', 'open'), eb(sql.ref('blocked_count'), '=', 0)])),
    ),
    // no index on lease expiry: every claim and completion would pay for it, while the reaper's
    // scan runs once every few seconds
    compileOnce(dialect, (db) => db.schema.createIndex('tasks_run').on('tasks').columns(['run_id', 'id'])),
    compileOnce(dialect, (db) => db.schema.createIndex('tasks_parent').on('tasks').column('parent_id')),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('task_dependencies')
        .addColumn('task_id', text, (column) => column.notNull())
        .addColumn('depends_on_id', text, (column) => column.notNull())
        .addPrimaryKeyConstraint('task_dependencies_pk', ['task_id', 'depends_on_id']),
    ),
    compileOnce(dialect, (db) =>
      db.schema.createIndex('task_dependencies_target').on('task_dependencies').column('depends_on_id'),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('agents')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('cycle_id', text)
        .addColumn('parent_id', text)
        .addColumn('role', text, (column) => column.notNull())
        .addColumn('model', text, (column) => column.notNull())
        .addColumn('prompt_hash', text, (column) => column.notNull())
        .addColumn('task_id', text)
        .addColumn('status', text, (column) => column.notNull())
        .addColumn('heartbeat_at', bigint, (column) => column.notNull())
        .addColumn('usage', text, (column) => column.notNull())
        .addColumn('created_at', bigint, (column) => column.notNull()),
    ),
    compileOnce(dialect, (db) => db.schema.createIndex('agents_run').on('agents').columns(['run_id', 'id'])),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('events')
        // SQLite: a rowid alias without AUTOINCREMENT still counts up here because events are never
        // deleted, and it saves a write to sqlite_sequence on every append
        .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigserial', (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('at', bigint, (column) => column.notNull())
        .addColumn('agent_id', text)
        .addColumn('task_id', text)
        .addColumn('type', text, (column) => column.notNull())
        .addColumn('payload', text, (column) => column.notNull()),
    ),
    // PostgreSQL wakes followers in other processes with NOTIFY; SQLite followers watch the file
    ...(dialect === 'postgres' ? eventTriggerStatements() : []),
    // no (run_id, seq) index: readers scan forward from a seq, and an index would double the cost
    // of the one write every operation makes
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('inbox')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('agent_id', text)
        .addColumn('kind', text, (column) => column.notNull())
        .addColumn('body', text, (column) => column.notNull())
        .addColumn('created_at', bigint, (column) => column.notNull())
        .addColumn('delivered_at', bigint),
    ),
    compileOnce(dialect, (db) =>
      db.schema.createIndex('inbox_recipient').on('inbox').columns(['run_id', 'agent_id', 'delivered_at']),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('landings')
        .addColumn('task_id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('fence', 'integer', (column) => column.notNull())
        .addColumn('commit_sha', text, (column) => column.notNull())
        .addColumn('at', bigint, (column) => column.notNull()),
    ),
    compileOnce(dialect, (db) =>
      db.insertInto('cadre_meta').values([
        { key: 'format', value: boardFormat },
        { key: 'schema_version', value: '0' },
      ]),
    ),
  ];
}

// a long run's current cycle is a small slice of its tasks: planners list and count it by cycle
// without reading every earlier cycle's rows through the (run_id, id) index
function cycleIndex(dialect: Dialect) {
  return [
    compileOnce(dialect, (db) =>
      db.schema.createIndex('tasks_cycle').on('tasks').columns(['cycle_id', 'id']),
    ),
  ];
}

// the commit a cycle's work started from, a column instead of a `cycle.base` event found by
// scanning the log; cycles of older boards keep null (the orchestrator then uses the hub's tip)
function cycleBaseCommit(dialect: Dialect) {
  return [compileOnce(dialect, (db) => db.schema.alterTable('cycles').addColumn('base_commit', 'text'))];
}

// the merge queue: its entries (read by run, status and position), the check runs that decided
// them (looked up by the commit checked) and one lease per run saying who runs its queue
function mergeQueue(dialect: Dialect) {
  const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
  const text = 'text';
  return [
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('queue_entries')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('task_id', text, (column) => column.notNull())
        .addColumn('fence', 'integer', (column) => column.notNull())
        .addColumn('agent_id', text)
        .addColumn('commit_sha', text, (column) => column.notNull())
        .addColumn('base_sha', text, (column) => column.notNull())
        .addColumn('ref', text, (column) => column.notNull())
        .addColumn('files', text, (column) => column.notNull())
        .addColumn('position', bigint, (column) => column.notNull())
        .addColumn('status', text, (column) => column.notNull())
        .addColumn('outcome', text)
        .addColumn('submitted_at', bigint, (column) => column.notNull())
        .addColumn('settled_at', bigint),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createIndex('queue_entries_queue')
        .on('queue_entries')
        .columns(['run_id', 'status', 'position']),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('check_runs')
        .addColumn('id', text, (column) => column.primaryKey())
        .addColumn('run_id', text, (column) => column.notNull())
        .addColumn('commit_sha', text, (column) => column.notNull())
        .addColumn('base_sha', text, (column) => column.notNull())
        .addColumn('entry_ids', text, (column) => column.notNull())
        .addColumn('result', text, (column) => column.notNull())
        .addColumn('flaky', 'integer', (column) => column.notNull())
        .addColumn('duration_ms', bigint, (column) => column.notNull())
        .addColumn('output', text, (column) => column.notNull())
        .addColumn('fix_task_id', text)
        .addColumn('at', bigint, (column) => column.notNull()),
    ),
    compileOnce(dialect, (db) =>
      db.schema.createIndex('check_runs_commit').on('check_runs').columns(['run_id', 'commit_sha']),
    ),
    compileOnce(dialect, (db) =>
      db.schema
        .createTable('queue_leases')
        .addColumn('run_id', text, (column) => column.primaryKey())
        .addColumn('owner', text, (column) => column.notNull())
        .addColumn('fence', 'integer', (column) => column.notNull())
        .addColumn('expires_at', bigint, (column) => column.notNull()),
    ),
  ];
}

/** Every schema step, oldest first. The last one's version is what this cadre writes. */
export const boardMigrations: readonly Migration[] = [
  { version: 1, statements: initialSchema },
  { version: 2, statements: cycleIndex },
  { version: 3, statements: cycleBaseCommit },
  { version: 4, statements: mergeQueue },
];

/** The schema version this cadre writes and understands. */
export const currentSchemaVersion = boardMigrations.at(-1)?.version ?? 0;

/** Sets the stored schema version inside a migration's transaction. */
export function setSchemaVersionStatement(dialect: Dialect, version: number) {
  return compileOnce(dialect, (db) =>
    db
      .updateTable('cadre_meta')
      .set({ value: String(version) })
      .where('key', '=', 'schema_version'),
  );
}
