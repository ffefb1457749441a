import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLeases } from '../audit.ts';
import { MissingBoardError, NotABoardError, SchemaTooNewError } from '../errors.ts';
import { currentSchemaVersion } from '../schema.ts';
import { readLines, spawnTypeScript, waitForExit } from '../testing/spawn-typescript.ts';
import { createTempBoardDirectory } from '../testing/temp-board.ts';
import { openSqliteBoard } from './open-sqlite-board.ts';

const temp = createTempBoardDirectory('cadre-crash-');
afterAll(() => temp.cleanup());

describe('crash safety (SQLite)', () => {
  it('a board killed mid-write reopens cleanly and every task agrees with its events', async () => {
    const path = temp.path();
    const setup = openSqliteBoard({ path });
    const run = await setup.createRun({ goal: 'crash test' });
    await setup.close();
    for (let kill = 0; kill < 5; kill++) {
      const child = spawnTypeScript(new URL('../__fixtures__/write-loop.ts', import.meta.url), [
        path,
        run.id,
      ]);
      const lines = readLines(child);
      expect((await lines.next()).value).toBe('ready');
      await sleep(20 + kill * 40);
      child.kill('SIGKILL');
      expect(await waitForExit(child)).toBe('SIGKILL');

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
      const board = openSqliteBoard({ path });
      const audit = await auditLeases(board, run.id);
      expect(audit.statusMismatches).toBe(0);
      expect(audit.completedMoreThanOnce).toBe(0);
      expect(audit.tasks).toBeGreaterThan(0);
      await board.close();
    }
  }, 120_000);
});

describe('opening something that is not a board', () => {
  it('refuses a file that is not SQLite, and leaves it untouched', () => {
    const path = temp.path('notes.db');
    writeFileSync(path, 'these are my notes, not a database\n');
    expect(() => openSqliteBoard({ path })).toThrow(NotABoardError);
    expect(readFileSync(path, 'utf8')).toBe('these are my notes, not a database\n');
  });

  it('refuses another application’s SQLite database without writing to it', () => {
    const path = temp.path('other.db');
    const other = new Database(path);
    other.exec(
      "create table customers (id integer primary key, name text); insert into customers (name) values ('ada')",
    );
    other.close();
    const before = readFileSync(path);
    expect(() => openSqliteBoard({ path })).toThrow(/not a cadre board \(it has tables \(customers\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a board written by a newer cadre, naming both versions', async () => {
    const path = temp.path();
    await openSqliteBoard({ path }).close();
    const database = new Database(path);
    database
      .prepare("update cadre_meta set value = ? where key = 'schema_version'")
      .run(String(currentSchemaVersion + 1));
    database.close();
    const before = readFileSync(path);
    expect(() => openSqliteBoard({ path })).toThrow(SchemaTooNewError);
    expect(() => openSqliteBoard({ path })).toThrow(`schema version ${currentSchemaVersion + 1}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('does not create a board when asked only to read one', () => {
    const path = temp.path('absent.db');
    expect(() => openSqliteBoard({ path, create: false })).toThrow(MissingBoardError);
    expect(() => readFileSync(path)).toThrow();
  });

  it('reports a malformed row as corrupt instead of passing it on', async () => {
    const path = temp.path();
    const board = openSqliteBoard({ path });
    const run = await board.createRun({ goal: 'damaged later' });
    const [task] = await board.createTasks([{ runId: run.id, kind: 'work', title: 'fine' }]);
    await board.close();
    const database = new Database(path);
    database.prepare("update tasks set scope = 'not json', status = 'exploded' where id = ?").run(task!.id);
    database.close();
    const reopened = openSqliteBoard({ path });
    await expect(reopened.getTask(task!.id)).rejects.toMatchObject({ type: 'corrupt-row' });
    await reopened.close();
  });

  it('two processes creating the same new board at once both succeed', async () => {
    const path = temp.path();
    const boards = await Promise.all([0, 1].map(async () => openSqliteBoard({ path })));
    const runs = await Promise.all(boards.map((board) => board.createRun({ goal: 'same file' })));
    expect(runs[0]?.id).not.toBe(runs[1]?.id);
    await Promise.all(boards.map((board) => board.close()));
  });
});
