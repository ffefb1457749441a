import Database from 'better-sqlite3';

/** Options for the raw SQLite baselines. */
export interface RawSqliteBaselineOptions {
  /** Where to create the scratch database file. */
  path: string;
  /** How many tasks to claim and complete. */
  tasks: number;
  /** Claims (and completions) committed per transaction: 1 for the single-row loop. */
  batch: number;
}

/**
 * What the board's claim-plus-complete costs with nothing of the board around it: better-sqlite3
 * on the same kind of file (WAL, synchronous NORMAL), a task table and an append-only event table,
 * and per task the same unit the board counts — a claim (pick the most urgent open task, lease it,
 * append `task.claimed`) and a completion (fenced update, append `task.completed`). With `batch` 1
 * each claim and each completion is its own IMMEDIATE transaction, as a board without group commit
 * would do; with a larger batch that many claims share one transaction, then their completions
 * another, as the board's group commit does when that many claimers are waiting. Returns pairs per
 * second.
 */
export function measureRawSqlitePairs(options: RawSqliteBaselineOptions): number {
  const database = new Database(options.path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.exec(`
      create table tasks (id integer primary key, status text not null, priority integer not null,
        owner text, fence integer not null, lease_expires_at integer, version integer not null);
      create index tasks_claimable on tasks (status, priority desc, id);
      create table events (seq integer primary key, task_id integer not null, at integer not null,
        type text not null, payload text not null);`);
    const insert = database.prepare(
      "insert into tasks (status, priority, fence, version) values ('open', 100, 0, 1)",
    );
    database.transaction(() => {
      for (let index = 0; index < options.tasks; index++) insert.run();
    })();
    const claim = database.prepare(`
      update tasks set status = 'leased', owner = ?, fence = fence + 1, lease_expires_at = ?, version = version + 1
      where id = (select id from tasks where status = 'open' order by priority desc, id limit 1)
      returning id, fence`);
    const complete = database.prepare(
      "update tasks set status = 'done', lease_expires_at = null, version = version + 1 where id = ? and fence = ? and status = 'leased'",
    );
    const event = database.prepare('insert into events (task_id, at, type, payload) values (?, ?, ?, ?)');
    const claimSome = database.transaction((count: number) => {
      const leases: { id: number; fence: number }[] = [];
      for (let index = 0; index < count; index++) {
        const lease = claim.get('raw', Date.now() + 60_000) as { id: number; fence: number } | undefined;
        if (!lease) break;
        event.run(lease.id, Date.now(), 'task.claimed', JSON.stringify({ owner: 'raw', fence: lease.fence }));
        leases.push(lease);
      }
      return leases;
    });
    const completeAll = database.transaction((leases: { id: number; fence: number }[]) => {
      for (const lease of leases) {
        complete.run(lease.id, lease.fence);
        event.run(lease.id, Date.now(), 'task.completed', JSON.stringify({ fence: lease.fence }));
      }
    });
    const batch = Math.max(1, options.batch);
    let done = 0;
    const started = performance.now();
    for (;;) {
      const leases = claimSome.immediate(batch);
      if (leases.length === 0) break;
      if (batch === 1) for (const lease of leases) completeAll.immediate([lease]);
      else completeAll.immediate(leases);
      done += leases.length;
    }
    return done / ((performance.now() - started) / 1000);
  } finally {
    database.close();
  }
}
