import { auditLeases, openPostgresBoard, redactConnectionString } from '../board/index.ts';
import { readLines, spawnTypeScript, waitForExit } from '../board/testing/spawn-typescript.ts';
import { startThrowawayCluster } from '../board/testing/throwaway-cluster.ts';
import type { BoardBenchOptions } from './board-bench.ts';
import { measureGraphileWorker } from './board-bench-postgres-graphile.ts';
import { measureRawPostgresWrites } from './board-bench-postgres-raw.ts';
import { runClaimWorkload, seedNoOpTasks } from './board-workload.ts';

/** Options of `cadre bench board --backend postgres`. */
export interface PostgresBoardBenchOptions extends BoardBenchOptions {
  /** A database to use; without one the bench starts a throwaway server of its own. */
  url?: string | undefined;
  /** Connections per process for board calls (default 2). */
  poolSize?: number;
  /** graphile-worker's concurrency (default 10, its pool size default). */
  graphileConcurrency?: number;
}

/** The JSON `cadre bench board --backend postgres` prints. */
export interface PostgresBoardBenchResult {
  backend: 'postgres';
  /** The server measured, without its password; "throwaway" when the bench started its own. */
  server: string;
  tasks: number;
  workers: number;
  processes: number;
  rounds: number;
  claims_per_s: number;
  multi_process_claims_per_s: number;
  raw_postgres_writes_per_s: number;
  ratio_vs_raw: number;
  graphile_worker_jobs_per_s: number;
  ratio_vs_graphile_worker: number;
  double_claims: number;
  lost: number;
  completed_twice: number;
  /** Tasks whose row disagrees with their event log (must be 0). */
  status_mismatches: number;
}

async function seedBoard(url: string, tasks: number, poolSize: number) {
  const board = await openPostgresBoard({ url, poolSize });
  return { board, runId: await seedNoOpTasks(board, tasks) };
}

async function measureInProcess(url: string, options: PostgresBoardBenchOptions, poolSize: number) {
  const { board, runId } = await seedBoard(url, options.tasks, poolSize);
  try {
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
    return { perSecond: result.completed / seconds, audit: await auditLeases(board, runId, options.signal) };
  } finally {
    await board.close();
  }
}

async function measureMultiProcess(url: string, options: PostgresBoardBenchOptions, poolSize: number) {
  const { board, runId } = await seedBoard(url, options.tasks, poolSize);
  const script = new URL('./board-bench-worker.ts', import.meta.url);
  const children = Array.from({ length: options.processes }, (_, index) =>
    spawnTypeScript(script, [url, runId, String(options.workers), `process-${index}`, String(poolSize)]),
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
      outputs.map(async (output) => JSON.parse(String((await output.next()).value)) as { completed: number }),
    );
    const seconds = (performance.now() - started) / 1000;
    const codes = await Promise.all(children.map(waitForExit));
    if (codes.some((code) => code !== 0))
      throw new Error(`a bench worker failed (exit codes ${codes.join(', ')})`);
    const completed = results.reduce((sum, result) => sum + result.completed, 0);
    return { perSecond: completed / seconds, audit: await auditLeases(board, runId, options.signal) };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await board.close();
  }
}

/**
 * Measures claim + complete pairs per second on a PostgreSQL board, in one process and across
 * several, next to a raw single-row UPDATE loop and to graphile-worker working the same number of
 * no-op jobs on the same server, and checks from the event log that no task was claimed twice or lost.
 */
export async function runPostgresBoardBench(
  options: PostgresBoardBenchOptions,
): Promise<PostgresBoardBenchResult> {
  const cluster = options.url ? null : await startThrowawayCluster();
  // on a given server every measurement shares its database, each in a run of its own
  const databaseFor = async (name: string): Promise<string> =>
    cluster ? cluster.createDatabase(name) : (options.url as string);
  // 2 per process: group commit writes through one connection at a time, the other serves reads
  const poolSize = options.poolSize ?? 2;
  let best = { raw: 0, inProcess: 0, multiProcess: 0, graphile: 0 };
  const totals = { doubleClaims: 0, lost: 0, completedTwice: 0, statusMismatches: 0 };
  try {
    for (let round = 1; round <= options.rounds; round++) {
      options.signal.throwIfAborted();
      const raw = await measureRawPostgresWrites({
        url: await databaseFor(`raw_${round}`),
        writes: options.tasks,
      });
      const inProcess = await measureInProcess(await databaseFor(`in_process_${round}`), options, poolSize);
      const multiProcess = await measureMultiProcess(
        await databaseFor(`multi_process_${round}`),
        options,
        poolSize,
      );
      const graphile = await measureGraphileWorker({
        url: await databaseFor(`graphile_${round}`),
        jobs: options.tasks,
        concurrency: options.graphileConcurrency ?? 10,
        signal: options.signal,
      });
      for (const audit of [inProcess.audit, multiProcess.audit]) {
        totals.doubleClaims += audit.doubleClaims;
        totals.lost += audit.notDone;
        totals.statusMismatches += audit.statusMismatches;
        totals.completedTwice += audit.completedMoreThanOnce;
      }
      best = {
        raw: Math.max(best.raw, raw),
        inProcess: Math.max(best.inProcess, inProcess.perSecond),
        multiProcess: Math.max(best.multiProcess, multiProcess.perSecond),
        graphile: Math.max(best.graphile, graphile),
      };
      options.progress?.(
        `round ${round}/${options.rounds}: raw ${Math.round(raw)}/s, in-process ${Math.round(inProcess.perSecond)}/s, ` +
          `${options.processes} processes ${Math.round(multiProcess.perSecond)}/s, graphile-worker ${Math.round(graphile)}/s`,
      );
    }
  } finally {
    await cluster?.stop();
  }
  return {
    backend: 'postgres',
    server: options.url ? redactConnectionString(options.url) : 'throwaway',
    tasks: options.tasks,
    workers: options.workers,
    processes: options.processes,
    rounds: options.rounds,
    claims_per_s: Math.round(best.inProcess),
    multi_process_claims_per_s: Math.round(best.multiProcess),
    raw_postgres_writes_per_s: Math.round(best.raw),
    ratio_vs_raw: Number((best.inProcess / best.raw).toFixed(3)),
    graphile_worker_jobs_per_s: Math.round(best.graphile),
    ratio_vs_graphile_worker: Number((best.inProcess / best.graphile).toFixed(3)),
    double_claims: totals.doubleClaims,
    lost: totals.lost,
    completed_twice: totals.completedTwice,
    status_mismatches: totals.statusMismatches,
  };
}
