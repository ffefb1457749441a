import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch directory for board files, removed by `cleanup`. */
export interface TempBoardDirectory {
  directory: string;
  /** A fresh board file path inside the directory. */
  path(name?: string): string;
  cleanup(): void;
}

/** Makes a scratch directory for board files; the one temp-board helper of the test suite. */
export function createTempBoardDirectory(prefix = 'cadre-board-'): TempBoardDirectory {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  let count = 0;
  return {
    directory,
    path: (name) => join(directory, name ?? `board-${++count}.db`),
    cleanup: () => rmSync(directory, { recursive: true, force: true }),
  };
}
