import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteBoard } from '../board/index.ts';
import { measureInProcess, measureMultiProcess } from './board-bench-claims.ts';
import { type BoardBenchFields, claimFields, ratio, runBenchRounds } from './board-bench-rounds.ts';
import { measureRawSqliteWrites } from './raw-sqlite-baseline.ts';

/** Options of `cadre bench board`. */
export interface BoardBenchOptions {
  tasks: number;
  /** Concurrent claimers in the in-process measurement (and in each process of the multi-process one). */
  workers: number;
  processes: number;
  /** Repetitions; the best of each figure is kept, because these machines are shared and noisy. */
  rounds: number;
  signal: AbortSignal;
  /** Progress lines for people (stderr); never part of the JSON. */
  progress?: (line: string) => void;
}

/** The JSON `cadre bench board` prints. */
export interface BoardBenchResult extends BoardBenchFields {
  backend: 'sqlite';
  raw_sqlite_writes_per_s: number;
  ratio_vs_raw: number;
}

/** Measures one round: the raw loop, then the board in this process and across processes. */
async function measureRound(directory: string, options: BoardBenchOptions, round: number) {
  const raw = measureRawSqliteWrites({ path: join(directory, `raw-${round}.db`), writes: options.tasks });
  const common = { tasks: options.tasks, workers: options.workers, signal: options.signal };
  const inProcessPath = join(directory, `in-process-${round}.db`);
  const inProcess = await measureInProcess({
    ...common,
    open: () => openSqliteBoard({ path: inProcessPath }),
  });
  const path = join(directory, `multi-process-${round}.db`);
  const multiProcess = await measureMultiProcess({
    ...common,
    open: () => openSqliteBoard({ path }),
    processes: options.processes,
    location: path,
  });
  return {
    figures: { raw, inProcess: inProcess.perSecond, multiProcess: multiProcess.perSecond },
    audits: [inProcess.audit, multiProcess.audit],
  };
}

/**
 * Measures claim + complete pairs per second on a SQLite board, in one process and across
 * several, next to a bare better-sqlite3 UPDATE loop on the same kind of file, and checks from
 * the event log that no task was claimed twice or lost.
 */
export async function runBoardBench(options: BoardBenchOptions): Promise<BoardBenchResult> {
  const directory = mkdtempSync(join(tmpdir(), 'cadre-bench-board-'));
  try {
    const { best, audit } = await runBenchRounds({
      rounds: options.rounds,
      signal: options.signal,
      progress: options.progress,
      labels: { raw: 'raw', inProcess: 'in-process', multiProcess: `${options.processes} processes` },
      measure: (round) => measureRound(directory, options, round),
    });
    return {
      backend: 'sqlite',
      ...claimFields(options, best),
      raw_sqlite_writes_per_s: Math.round(best.raw),
      ratio_vs_raw: ratio(best.inProcess, best.raw),
      ...audit,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
