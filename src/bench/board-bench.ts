import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteBoard } from '../board/index.ts';
import { measureInProcess, measureMultiProcess } from './board-bench-claims.ts';
import { type BoardBenchFields, claimFields, ratio, runBenchRounds } from './board-bench-rounds.ts';
import { measureRawSqlitePairs } from './raw-sqlite-baseline.ts';

// the board's group commit takes at most 512 writes, and never more than there are claimers waiting
const rawBatch = (options: BoardBenchOptions) => Math.min(512, options.workers);

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
  /** Claim + complete pairs per second of bare better-sqlite3, one transaction per claim and per completion. */
  raw_single_pairs_per_s: number;
  /** The same with `raw_batch` claims per transaction: the ceiling a group-committing board can approach. */
  raw_batched_pairs_per_s: number;
  /** Claims per transaction in the batched loop: the claimers waiting at once, as the board's group commit sees them. */
  raw_batch: number;
  /** In-process board against the batched raw loop (the ceiling). */
  ratio_vs_raw: number;
  /** In-process board against the single-row raw loop. */
  ratio_vs_raw_single: number;
}

/** Measures one round: the raw loop, then the board in this process and across processes. */
async function measureRound(directory: string, options: BoardBenchOptions, round: number) {
  const raw = measureRawSqlitePairs({
    path: join(directory, `raw-${round}.db`),
    tasks: options.tasks,
    batch: 1,
  });
  const rawBatched = measureRawSqlitePairs({
    path: join(directory, `raw-batched-${round}.db`),
    tasks: options.tasks,
    batch: rawBatch(options),
  });
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
    figures: { raw, rawBatched, inProcess: inProcess.perSecond, multiProcess: multiProcess.perSecond },
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
      labels: {
        raw: 'raw single',
        rawBatched: 'raw batched',
        inProcess: 'in-process',
        multiProcess: `${options.processes} processes`,
      },
      measure: (round) => measureRound(directory, options, round),
    });
    return {
      backend: 'sqlite',
      ...claimFields(options, best),
      raw_single_pairs_per_s: Math.round(best.raw),
      raw_batched_pairs_per_s: Math.round(best.rawBatched),
      raw_batch: rawBatch(options),
      ratio_vs_raw: ratio(best.inProcess, best.rawBatched),
      ratio_vs_raw_single: ratio(best.inProcess, best.raw),
      ...audit,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
