import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { currentSchemaVersion } from '../schema.ts';
import { createTempBoardDirectory } from '../testing/temp-board.ts';
import { openSqliteBoard } from './open-sqlite-board.ts';

const temp = createTempBoardDirectory('cadre-board-migration-');
// what a board before schema version 4 lacks
const dropMergeQueue = 'drop table queue_entries; drop table check_runs; drop table queue_leases;';
afterAll(() => temp.cleanup());

describe('board schema migrations', () => {
  it('upgrades a version 1 board in place: the cycle index appears and the tasks stay', async () => {
    const path = temp.path();
    const board = openSqliteBoard({ path });
    const run = await board.createRun({ goal: 'written by an older cadre' });
    const cycle = await board.createCycle({ runId: run.id });
    await board.createTasks([{ runId: run.id, cycleId: cycle.id, kind: 'work', title: 'kept' }]);
    await board.close();
    // what version 1 left on disk: no cycle index and schema_version 1
    const older = new Database(path);
    older.exec(
      `drop index tasks_cycle; alter table cycles drop column base_commit; ${dropMergeQueue} update cadre_meta set value = '1' where key = 'schema_version'`,
    );
    older.close();

    const upgraded = openSqliteBoard({ path });
    const tasks = await upgraded.listTasks({ runId: run.id, cycleId: cycle.id });
    await upgraded.close();
    expect(tasks.map((task) => task.title)).toEqual(['kept']);
    const after = new Database(path, { readonly: true });
    const version = after.prepare("select value from cadre_meta where key = 'schema_version'").pluck().get();
    const index = after.prepare("select name from sqlite_master where name = 'tasks_cycle'").pluck().get();
    after.close();
    expect(version).toBe(String(currentSchemaVersion));
    expect(index).toBe('tasks_cycle');
  });

  it('upgrades a version 2 board to 3: cycles gain a null base commit, old events and verdicts still read', async () => {
    const path = temp.path();
    const board = openSqliteBoard({ path });
    const run = await board.createRun({ goal: 'written before base commits were columns' });
    const cycle = await board.createCycle({ runId: run.id });
    await board.close();
    // what version 2 left on disk: no base_commit column, the base in a `cycle.base` event, and
    // whatever an older cadre or a hand edit put in the log and the verdict column
    const older = new Database(path);
    older.exec(
      `alter table cycles drop column base_commit; ${dropMergeQueue} update cadre_meta set value = '2' where key = 'schema_version'`,
    );
    const insert = older.prepare(
      'insert into events (run_id, at, agent_id, task_id, type, payload) values (?, 1, null, null, ?, ?)',
    );
    insert.run(run.id, 'cycle.base', JSON.stringify({ cycleId: cycle.id, commit: 'abc1234' }));
    insert.run(run.id, 'tool.retired-event', JSON.stringify({ anything: [1, 2] }));
    insert.run(run.id, 'task.claimed', JSON.stringify({ owner: 7 }));
    insert.run(run.id, 'task.released', 'not json');
    older.prepare('update cycles set verdict = ? where id = ?').run('{"continue":"maybe"}', cycle.id);
    older.close();

    const upgraded = openSqliteBoard({ path });
    const [read] = await upgraded.listCycles(run.id);
    const events = await upgraded.readEvents({ runId: run.id });
    const cycleBases = await upgraded.readEvents({ runId: run.id, types: ['cycle.base'] });
    const fresh = await upgraded.createCycle({ runId: run.id, baseCommit: 'def5678' });
    await upgraded.close();
    expect(read).toMatchObject({ id: cycle.id, baseCommit: null, verdict: null });
    expect(fresh.baseCommit).toBe('def5678');
    expect(cycleBases.map((event) => event.type === 'cycle.base' && event.payload.commit)).toEqual([
      'abc1234',
    ]);
    const unknown = events.filter((event) => event.type === 'unknown');
    expect(unknown.map((event) => event.type === 'unknown' && event.storedType)).toEqual([
      'tool.retired-event',
      'task.claimed',
      'task.released',
    ]);
    expect(unknown[0]).toMatchObject({
      payload: { anything: [1, 2] },
      reason: expect.stringMatching(/not in the event catalog/),
    });
    expect(unknown[1]).toMatchObject({ reason: expect.stringMatching(/payload\.owner/) });
    const after = new Database(path, { readonly: true });
    const version = after.prepare("select value from cadre_meta where key = 'schema_version'").pluck().get();
    after.close();
    expect(version).toBe(String(currentSchemaVersion));
  });

  it('upgrades a version 3 board to 4: the merge queue tables appear and the queue works', async () => {
    const path = temp.path();
    const board = openSqliteBoard({ path });
    const run = await board.createRun({ goal: 'written before the merge queue' });
    const [task] = await board.createTasks([{ runId: run.id, kind: 'work', title: 'kept' }]);
    await board.close();
    // what version 3 left on disk: no queue tables and schema_version 3
    const older = new Database(path);
    older.exec(`${dropMergeQueue} update cadre_meta set value = '3' where key = 'schema_version'`);
    older.close();

    const upgraded = openSqliteBoard({ path });
    const lease = await upgraded.claim({ owner: 'worker-1', ttlMs: 60_000 });
    const entry = await upgraded.submitToQueue({
      taskId: task!.id,
      fence: lease!.fence,
      commit: 'abc1234',
      base: 'def5678',
      ref: `refs/cadre/queue/${task!.id}/${lease!.fence}`,
      files: ['a.ts'],
    });
    const queueLease = await upgraded.acquireQueueLease({ runId: run.id, owner: 'queue', ttlMs: 60_000 });
    const queued = await upgraded.listQueueEntries({ runId: run.id, status: 'queued' });
    await upgraded.close();
    expect(queued.map((listed) => listed.id)).toEqual([entry.id]);
    expect(queueLease?.fence).toBe(1);
    const after = new Database(path, { readonly: true });
    const version = after.prepare("select value from cadre_meta where key = 'schema_version'").pluck().get();
    const tables = after
      .prepare("select name from sqlite_master where name in ('queue_entries', 'check_runs', 'queue_leases')")
      .pluck()
      .all();
    after.close();
    expect(version).toBe('4');
    expect([...tables].sort()).toEqual(['check_runs', 'queue_entries', 'queue_leases']);
  });
});
