import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLeases, openSqliteBoard } from '../board/index.ts';
import { readLines, spawnTypeScript, waitForExit } from '../board/testing/spawn-typescript.ts';
import { runClaimWorkload, seedNoOpTasks } from './board-workload.ts';
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
export interface BoardBenchResult {
  backend: 'sqlite';
  tasks: number;
  workers: number;
  processes: number;
  rounds: number;
  claims_per_s: number;
  multi_process_claims_per_s: number;
  raw_sqlite_writes_per_s: number;
  ratio_vs_raw: number;
  double_claims: number;
  lost: number;
  completed_twice: number;
  /** Tasks whose row disagrees with their event log (must be 0). */
  status_mismatches: number;
}

async function seedBoard(path: string, tasks: number) {
  const board = openSqliteBoard({ path });
  return { board, runId: await seedNoOpTasks(board, tasks) };
}

async function measureInProcess(directory: string, options: BoardBenchOptions, round: number) {
  const { board, runId } = await seedBoard(join(directory, `in-process-${round}.db`), options.tasks);
  const started = performance.now();
  const result = await runClaimWorkload({
    board,
    runId,
    workers: options.workers,
    ownerPrefix: 'bench',
    ttlMs: 10 * 60_000,
    signal: options.signal,
  });
  const seconds = (performance.now() - started) / 1000;
  const audit = await auditLeases(board, runId, options.signal);
  await board.close();
  return { perSecond: result.completed / seconds, audit };
}

async function measureMultiProcess(directory: string, options: BoardBenchOptions, round: number) {
  const path = join(directory, `multi-process-${round}.db`);
  const { board, runId } = await seedBoard(path, options.tasks);
  const script = new URL('./board-bench-worker.ts', import.meta.url);
  const children = Array.from({ length: options.processes }, (_, index) =>
    spawnTypeScript(script, [path, runId, String(options.workers), `process-${index}`]),
  );
  try {
    const outputs = children.map((child) => readLines(child));
    for (const output of outputs) {
      const first = await output.next();
      if (first.value !== 'ready')
        throw new Error(`a bench worker did not start: ${first.value ?? 'no output'}`);
    }
    const started = performance.now();
    for (const child of children) child.stdin?.write('go\n');
    const results = await Promise.all(
      outputs.map(async (output) => {
        const line = await output.next();
        return JSON.parse(String(line.value)) as { completed: number };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const codes = await Promise.all(children.map(waitForExit));
    if (codes.some((code) => code !== 0))
      throw new Error(`a bench worker failed (exit codes ${codes.join(', ')})`);
    const completed = results.reduce((sum, result) => sum + result.completed, 0);
    const audit = await auditLeases(board, runId, options.signal);
    return { perSecond: completed / seconds, audit };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await board.close();
  }
}

/**
 * Measures claim + complete pairs per second on a SQLite board, in one process and across
 * several, next to a bare better-sqlite3 UPDATE loop on the same kind of file, and checks from
 * the event log that no task was claimed twice or lost.
 */
export async function runBoardBench(options: BoardBenchOptions): Promise<BoardBenchResult> {
  const directory = mkdtempSync(join(tmpdir(), 'cadre-bench-board-'));
  let best = { raw: 0, inProcess: 0, multiProcess: 0 };
  let doubleClaims = 0;
  let lost = 0;
  let completedTwice = 0;
  let statusMismatches = 0;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      options.signal.throwIfAborted();
      const raw = measureRawSqliteWrites({ path: join(directory, `raw-${round}.db`), writes: options.tasks });
      const inProcess = await measureInProcess(directory, options, round);
      const multiProcess = await measureMultiProcess(directory, options, round);
      for (const audit of [inProcess.audit, multiProcess.audit]) {
        doubleClaims += audit.doubleClaims;
        lost += audit.notDone;
        statusMismatches += audit.statusMismatches;
        completedTwice += audit.completedMoreThanOnce;
      }
      best = {
        raw: Math.max(best.raw, raw),
        inProcess: Math.max(best.inProcess, inProcess.perSecond),
        multiProcess: Math.max(best.multiProcess, multiProcess.perSecond),
      };
      options.progress?.(
        `round ${round}/${options.rounds}: raw ${Math.round(raw)}/s, in-process ${Math.round(inProcess.perSecond)}/s, ` +
          `${options.processes} processes ${Math.round(multiProcess.perSecond)}/s`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    backend: 'sqlite',
    tasks: options.tasks,
    workers: options.workers,
    processes: options.processes,
    rounds: options.rounds,
    claims_per_s: Math.round(best.inProcess),
    multi_process_claims_per_s: Math.round(best.multiProcess),
    raw_sqlite_writes_per_s: Math.round(best.raw),
    ratio_vs_raw: Number((best.inProcess / best.raw).toFixed(3)),
    double_claims: doubleClaims,
    lost,
    completed_twice: completedTwice,
    status_mismatches: statusMismatches,
  };
}
