import { afterAll, describe, it } from 'vitest';
import { runExactlyOnceScenario } from '../testing/exactly-once-scenario.ts';
import { createTempBoardDirectory } from '../testing/temp-board.ts';
import { openSqliteBoard } from './open-sqlite-board.ts';

const temp = createTempBoardDirectory('cadre-exactly-once-');
afterAll(() => temp.cleanup());

describe('exactly-once across processes (SQLite)', () => {
  it('4 processes complete 5,000 tasks exactly once through a SIGKILL and a stalled worker', async () => {
    const path = temp.path();
    const board = openSqliteBoard({ path });
    try {
      await runExactlyOnceScenario({ board, location: path });
    } finally {
      await board.close();
    }
  }, 120_000);
});
