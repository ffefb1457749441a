import { join, resolve } from 'node:path';
import { type BoardOptions, openPostgresBoard, openSqliteBoard, type TaskBoard } from '../board/index.ts';
import { type CliIo, UsageError } from './cli-io.ts';

/** True for a PostgreSQL connection string (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Options of openBoardFromFlag. */
export interface BoardFlagOptions extends BoardOptions {
  /** The repository whose `.cadre/board.db` is the default. */
  repo: string;
  /** `--board`: a postgres:// URL or a SQLite file. */
  board?: string | undefined;
  /** `--db`: a SQLite file (the older flag; same as --board with a path). */
  db?: string | undefined;
  /** Create the board when it does not exist yet. */
  create: boolean;
}

/**
 * The board a command names: `--board postgres://…` opens a PostgreSQL board (shared by every
 * machine of a run), `--board FILE` or `--db FILE` a SQLite file, and neither the repository's own
 * `.cadre/board.db` (or $CADRE_DB).
 */
export async function openBoardFromFlag(io: CliIo, options: BoardFlagOptions): Promise<TaskBoard> {
  const { board, db, repo, create, ...boardOptions } = options;
  if (board && db) throw new UsageError('give the board with --board or --db, not both');
  const named = board ?? db;
  if (named && isPostgresUrl(named)) {
    if (db) throw new UsageError('--db takes a SQLite file; give a postgres:// URL with --board');
    return openPostgresBoard({ ...boardOptions, url: named, create, signal: io.signal });
  }
  const path = named
    ? resolve(io.cwd, named)
    : io.env.CADRE_DB
      ? resolve(io.cwd, io.env.CADRE_DB)
      : join(resolve(repo), '.cadre', 'board.db');
  return openSqliteBoard({ ...boardOptions, path, create });
}
