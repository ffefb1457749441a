import { openPostgresBoard, redactConnectionString } from '../board/index.ts';
import { startThrowawayCluster } from '../board/testing/throwaway-cluster.ts';
import type { BoardBenchOptions } from './board-bench.ts';
import { measureInProcess, measureMultiProcess } from './board-bench-claims.ts';
import {
  type GraphileWorkerSettings,
  graphileWorkerSettings,
  measureGraphileWorker,
} from './board-bench-postgres-graphile.ts';
import { measureRawPostgresWrites } from './board-bench-postgres-raw.ts';
import { type PostgresServerSettings, readServerSettings } from './board-bench-postgres-settings.ts';
import { type BoardBenchFields, claimFields, ratio, runBenchRounds } from './board-bench-rounds.ts';

/** Options of `cadre bench board --backend postgres`. */
export interface PostgresBoardBenchOptions extends BoardBenchOptions {
  /** A database to use; without one the bench starts a throwaway server of its own. */
  url?: string | undefined;
  /** Connections per process for board calls (default 2). */
  poolSize?: number;
  /**
   * The throwaway server's durability: `on` (default) keeps fsync and full_page_writes as
   * PostgreSQL ships them; `off` turns both off. A server given with `url` keeps its own.
   */
  durability?: 'on' | 'off';
}

/** One system or configuration measured, with the settings it ran with. */
export interface PostgresBenchRow {
  name: string;
  /** Claim + complete pairs (jobs worked, for graphile-worker; UPDATEs, for the raw loop) per second. */
  per_s: number;
  /** Best of the rounds is `per_s`; every round's figure, in order. */
  each_round_per_s: number[];
  /** Claims or jobs in flight at once. */
  concurrency: number;
  settings: Record<string, number | string | boolean>;
}

/** The JSON `cadre bench board --backend postgres` prints. */
export interface PostgresBoardBenchResult extends BoardBenchFields {
  backend: 'postgres';
  /** The server measured, without its password; "throwaway" when the bench started its own. */
  server: string;
  /** `on` / `off` for the throwaway server; `server's own` for a given one (see server_settings). */
  durability: 'on' | 'off' | "server's own";
  /** The server's settings as `SHOW` gives them: fsync, synchronous_commit, and so on. */
  server_settings: PostgresServerSettings;
  raw_postgres_writes_per_s: number;
  ratio_vs_raw: number;
  /** graphile-worker with its defaults (batching off), at the board's concurrency. */
  graphile_worker_jobs_per_s: number;
  ratio_vs_graphile_worker: number;
  /** graphile-worker with its own batching on, at the board's concurrency. */
  graphile_worker_batched_jobs_per_s: number;
  ratio_vs_graphile_worker_batched: number;
  /** graphile-worker jobs whose task function ran twice, over every run (must be 0). */
  graphile_worker_jobs_ran_twice: number;
  /** Every measurement, with its settings. */
  rows: PostgresBenchRow[];
}

/** Where a round's measurements run: a database each on a throwaway server, or the one given. */
type DatabaseFor = (name: string) => Promise<string>;

type Figure = 'raw' | 'inProcess' | 'multiProcess' | 'graphile' | 'graphileBatched';

// 2 per process: group commit writes through one connection at a time, the other serves reads
const defaultPoolSize = 2;

/** Measures one round: the raw loop, the board in this process and across processes, graphile-worker twice. */
async function measureRound(
  databaseFor: DatabaseFor,
  options: PostgresBoardBenchOptions,
  graphile: Record<'defaults' | 'batching', GraphileWorkerSettings>,
  round: number,
) {
  const raw = await measureRawPostgresWrites({
    url: await databaseFor(`raw_${round}`),
    writes: options.tasks,
  });
  const poolSize = options.poolSize ?? defaultPoolSize;
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
  const worker = async (mode: 'defaults' | 'batching') =>
    measureGraphileWorker({
      url: await databaseFor(`graphile_${mode}_${round}`),
      jobs: options.tasks,
      settings: graphile[mode],
      signal: options.signal,
    });
  const defaults = await worker('defaults');
  const batched = await worker('batching');
  return {
    figures: {
      raw,
      inProcess: inProcess.perSecond,
      multiProcess: multiProcess.perSecond,
      graphile: defaults.perSecond,
      graphileBatched: batched.perSecond,
    },
    audits: [inProcess.audit, multiProcess.audit],
    ranTwice: defaults.ranTwice + batched.ranTwice,
  };
}

/** The rows of the JSON: each measurement's best and every round's figure, with its settings. */
function benchRows(
  options: PostgresBoardBenchOptions,
  graphile: Record<'defaults' | 'batching', GraphileWorkerSettings>,
  each: Record<Figure, number[]>,
): PostgresBenchRow[] {
  const poolSize = options.poolSize ?? defaultPoolSize;
  const row = (
    name: string,
    figure: Figure,
    concurrency: number,
    settings: PostgresBenchRow['settings'],
  ) => ({
    name,
    per_s: Math.round(Math.max(...each[figure])),
    each_round_per_s: each[figure].map(Math.round),
    concurrency,
    settings,
  });
  const board = { pool_size: poolSize, group_commit: true };
  const { mode: _defaults, ...defaults } = graphile.defaults;
  const { mode: _batching, ...batching } = graphile.batching;
  return [
    row('cadre board, one process', 'inProcess', options.workers, { ...board, processes: 1 }),
    row(`cadre board, ${options.processes} processes`, 'multiProcess', options.workers * options.processes, {
      ...board,
      processes: options.processes,
    }),
    row('raw single-row UPDATE loop', 'raw', 1, { connections: 1 }),
    row('graphile-worker, defaults', 'graphile', graphile.defaults.concurrency, defaults),
    row('graphile-worker, batching', 'graphileBatched', graphile.batching.concurrency, batching),
  ];
}

/**
 * Measures claim + complete pairs per second on a PostgreSQL board, in one process and across
 * several, next to a raw single-row UPDATE loop and to graphile-worker (its defaults, then its own
 * batching) working as many no-op jobs at the same concurrency on the same server, with durability
 * on unless told otherwise, and checks from the event log that no task was claimed twice or lost.
 */
export async function runPostgresBoardBench(
  options: PostgresBoardBenchOptions,
): Promise<PostgresBoardBenchResult> {
  const durability = options.durability ?? 'on';
  const cluster = options.url ? null : await startThrowawayCluster({ durable: durability === 'on' });
  // on a given server every measurement shares its database, each in a run of its own
  const databaseFor: DatabaseFor = async (name) =>
    cluster ? cluster.createDatabase(name) : (options.url as string);
  const graphile = {
    defaults: graphileWorkerSettings('defaults', options.workers),
    batching: graphileWorkerSettings('batching', options.workers),
  };
  const each: Record<Figure, number[]> = {
    raw: [],
    inProcess: [],
    multiProcess: [],
    graphile: [],
    graphileBatched: [],
  };
  let ranTwice = 0;
  try {
    const serverSettings = await readServerSettings(cluster ? cluster.url : (options.url as string));
    options.progress?.(
      `server: fsync ${serverSettings.fsync}, synchronous_commit ${serverSettings.synchronous_commit}, ` +
        `full_page_writes ${serverSettings.full_page_writes}; concurrency ${options.workers} for every system`,
    );
    const { best, audit } = await runBenchRounds({
      rounds: options.rounds,
      signal: options.signal,
      progress: options.progress,
      labels: {
        raw: 'raw',
        inProcess: 'in-process',
        multiProcess: `${options.processes} processes`,
        graphile: 'graphile-worker',
        graphileBatched: 'graphile-worker batching',
      },
      measure: async (round) => {
        const measured = await measureRound(databaseFor, options, graphile, round);
        for (const figure of Object.keys(each) as Figure[]) each[figure].push(measured.figures[figure]);
        ranTwice += measured.ranTwice;
        return measured;
      },
    });
    return {
      backend: 'postgres',
      server: options.url ? redactConnectionString(options.url) : 'throwaway',
      durability: cluster ? durability : "server's own",
      server_settings: serverSettings,
      ...claimFields(options, best),
      raw_postgres_writes_per_s: Math.round(best.raw),
      ratio_vs_raw: ratio(best.inProcess, best.raw),
      graphile_worker_jobs_per_s: Math.round(best.graphile),
      ratio_vs_graphile_worker: ratio(best.inProcess, best.graphile),
      graphile_worker_batched_jobs_per_s: Math.round(best.graphileBatched),
      ratio_vs_graphile_worker_batched: ratio(best.inProcess, best.graphileBatched),
      graphile_worker_jobs_ran_twice: ranTwice,
      ...audit,
      rows: benchRows(options, graphile, each),
    };
  } finally {
    await cluster?.stop();
  }
}
