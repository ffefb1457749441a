import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { currentSchemaVersion } from '../schema.ts';
import { createTempBoardDirectory } from '../testing/temp-board.ts';
import { openSqliteBoard } from './open-sqlite-board.ts';

const temp = createTempBoardDirectory('cadre-board-migration-');
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
    older.exec("drop index tasks_cycle; update cadre_meta set value = '1' where key = 'schema_version'");
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
});
