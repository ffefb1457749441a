import { afterAll } from 'vitest';
import { describeBoardConformance } from '../testing/board-conformance.ts';
import { createTempBoardDirectory } from '../testing/temp-board.ts';
import { openSqliteBoard } from './open-sqlite-board.ts';

const temp = createTempBoardDirectory();
afterAll(() => temp.cleanup());

describeBoardConformance({
  name: 'sqlite',
  open: async (options) => openSqliteBoard({ ...options, path: temp.path() }),
});
