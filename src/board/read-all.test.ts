import { afterEach, describe, expect, it } from 'vitest';
import { listAllTasks, readAllEvents } from './read-all.ts';
import { openSqliteBoard } from './sqlite/open-sqlite-board.ts';
import { createTempBoardDirectory } from './testing/temp-board.ts';

const temp = createTempBoardDirectory();
afterEach(() => temp.cleanup());

describe('listAllTasks and readAllEvents', () => {
  it('read past a single page, in order, and keep the filters', async () => {
    const board = openSqliteBoard({ path: temp.path() });
    try {
      const run = await board.createRun({ goal: 'paging' });
      const count = 5_003;
      await board.createTasks(
        Array.from({ length: count }, (_, index) => ({
          runId: run.id,
          kind: index % 2 === 0 ? ('work' as const) : ('plan' as const),
          title: `task ${index}`,
        })),
      );
      const all = await listAllTasks(board, { runId: run.id });
      expect(all).toHaveLength(count);
      expect(new Set(all.map((task) => task.id)).size).toBe(count);
      expect(all.map((task) => task.id)).toEqual([...all.map((task) => task.id)].sort());
      expect(await listAllTasks(board, { runId: run.id, kind: 'work' })).toHaveLength(Math.ceil(count / 2));
      const created = await readAllEvents(board, { runId: run.id, types: ['task.created'] });
      expect(created).toHaveLength(count);
      const later = await readAllEvents(board, {
        runId: run.id,
        types: ['task.created'],
        afterSeq: created[4_999]?.seq ?? 0,
      });
      expect(later).toHaveLength(3);
    } finally {
      await board.close();
    }
  });
});
