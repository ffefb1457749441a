import { openPostgresBoard, redactConnectionString } from '../board/index.ts';
import { startThrowawayCluster } from '../board/testing/throwaway-cluster.ts';
import type { BoardBenchOptions } from './board-bench.ts';
import { measureInProcess, measureMultiProcess } from './board-bench-claims.ts';
import { measureGraphileWorker } from './board-bench-postgres-graphile.ts';
import { measureRawPostgresWrites } from './board-bench-postgres-raw.ts';
import { type BoardBenchFields, claimFields, ratio, runBenchRounds } from './board-bench-rounds.ts';

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
export interface PostgresBoardBenchResult extends BoardBenchFields {
  backend: 'postgres';
  /** The server measured, without its password; "throwaway" when the bench started its own. */
  server: string;
  raw_postgres_writes_per_s: number;
  ratio_vs_raw: number;
  graphile_worker_jobs_per_s: number;
  ratio_vs_graphile_worker: number;
}

/** Where a round's measurements run: a database each on a throwaway server, or the one given. */
type DatabaseFor = (name: string) => Promise<string>;

/** Measures one round: the raw loop, the board in this process and across processes, graphile-worker. */
async function measureRound(databaseFor: DatabaseFor, options: PostgresBoardBenchOptions, round: number) {
  const raw = await measureRawPostgresWrites({
    url: await databaseFor(`raw_${round}`),
    writes: options.tasks,
  });
  // 2 per process: group commit writes through one connection at a time, the other serves reads
  const poolSize = options.poolSize ?? 2;
  const common = { tasks: options.tasks, workers: options.workers, signal: options.signal };
  const inProcessUrl = await databaseFor(`in_process_${round}`);
  const inProcess = await measureInProcess({
    ...common,
    open: () => openPostgresBoard({ url: inProcessUrl, poolSize }),
  });
  const url = await databaseFor(`multi_process_${round}`);
  const multiProcess = await measureMultiProcess({
    ...common,
    open: () => openPostgresBoard({ url, poolSize }),
    processes: options.processes,
    location: url,
    poolSize,
  });
  const graphile = await measureGraphileWorker({
    url: await databaseFor(`graphile_${round}`),
    jobs: options.tasks,
    concurrency: options.graphileConcurrency ?? 10,
    signal: options.signal,
  });
  return {
    figures: { raw, inProcess: inProcess.perSecond, multiProcess: multiProcess.perSecond, graphile },
    audits: [inProcess.audit, multiProcess.audit],
  };
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
  const databaseFor: DatabaseFor = async (name) =>
    cluster ? cluster.createDatabase(name) : (options.url as string);
  try {
    const { best, audit } = await runBenchRounds({
      rounds: options.rounds,
      signal: options.signal,
      progress: options.progress,
      labels: {
        raw: 'raw',
        inProcess: 'in-process',
        multiProcess: `${options.processes} processes`,
        graphile: 'graphile-worker',
      },
      measure: (round) => measureRound(databaseFor, options, round),
    });
    return {
      backend: 'postgres',
      server: options.url ? redactConnectionString(options.url) : 'throwaway',
      ...claimFields(options, best),
      raw_postgres_writes_per_s: Math.round(best.raw),
      ratio_vs_raw: ratio(best.inProcess, best.raw),
      graphile_worker_jobs_per_s: Math.round(best.graphile),
      ratio_vs_graphile_worker: ratio(best.inProcess, best.graphile),
      ...audit,
    };
  } finally {
    await cluster?.stop();
  }
}
