import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, makeWorkerUtils, run, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import { z } from 'zod';

/** How graphile-worker is configured in one measurement; the JSON prints it beside the figure. */
export interface GraphileWorkerSettings {
  /** `defaults`: batching off, as shipped; `batching`: the batching of its own performance page. */
  mode: 'defaults' | 'batching';
  /** Jobs in flight (`concurrentJobs`): the board's claimers, so both run at equal concurrency. */
  concurrency: number;
  /**
   * Its pool: "10 or concurrentJobs + 2, whichever is larger", as its docs recommend, at most 150
   * (the throwaway server takes 200 connections).
   */
  max_pool_size: number;
  /** `localQueue.size`: jobs fetched and locked per query; -1 is off (its default). */
  local_queue_size: number;
  /** `completeJobBatchDelay` in ms: completions batched into one statement; -1 is off (its default). */
  complete_job_batch_delay_ms: number;
  /** `failJobBatchDelay` in ms, likewise (no job fails here). */
  fail_job_batch_delay_ms: number;
}

/**
 * graphile-worker's settings for a mode at a concurrency. Batching follows its performance page
 * (worker.graphile.org/docs/performance: `localQueue.size` 500, both batch delays 0), with the
 * local queue at least `concurrency + 1` as it warns otherwise.
 */
export function graphileWorkerSettings(
  mode: GraphileWorkerSettings['mode'],
  concurrency: number,
): GraphileWorkerSettings {
  const batching = mode === 'batching';
  return {
    mode,
    concurrency,
    max_pool_size: Math.min(150, Math.max(10, concurrency + 2)),
    local_queue_size: batching ? Math.max(500, concurrency + 1) : -1,
    complete_job_batch_delay_ms: batching ? 0 : -1,
    fail_job_batch_delay_ms: batching ? 0 : -1,
  };
}

/** Options for one graphile-worker measurement. */
export interface GraphileWorkerBenchOptions {
  url: string;
  jobs: number;
  settings: GraphileWorkerSettings;
  signal: AbortSignal;
}

/** Jobs worked per second, and what the task function saw of them. */
export interface GraphileWorkerMeasurement {
  perSecond: number;
  /** Jobs whose task function ran more than once (must be 0). */
  ranTwice: number;
}

const quiet = new Logger(() => () => {});

/** A seeded job's payload, as its task function gets it back from the database. */
const jobPayload = z.object({ index: z.number().int().nonnegative() });

/**
 * graphile-worker's pool, with the error handlers it asks for: pg drops a client whose connection
 * broke and raises the error on its next query, so nothing more is needed than not crashing.
 */
function workerPool(url: string, size: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: size });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Opens every connection of the pool before the timer, as the board's are open before its own. */
async function warmPool(pool: pg.Pool, size: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  await Promise.all(clients.map((client) => client.query('select 1')));
  for (const client of clients) client.release();
}

/** Adds `jobs` no-op jobs with addJobs in batches of 5,000, untimed as the board's tasks are seeded. */
async function seedJobs(utils: Awaited<ReturnType<typeof makeWorkerUtils>>, jobs: number) {
  for (let offset = 0; offset < jobs; offset += 5000) {
    const count = Math.min(5000, jobs - offset);
    await utils.addJobs(
      Array.from({ length: count }, (_, index) => ({
        identifier: 'noop',
        payload: { index: offset + index },
      })),
    );
  }
}

/**
 * A reference point of the PostgreSQL board bench: graphile-worker 0.17 works `jobs` no-op jobs
 * seeded beforehand. Its schema is migrated, its jobs added and its pool connected before the timer;
 * the timer starts when its worker pool is created (`pool:create`, after its own start-up) and stops
 * when the last job's completion is committed (its jobs table is empty), so batched completions
 * count only once they are durable. Its tables live in a schema of their own, dropped afterwards.
 */
export async function measureGraphileWorker(
  options: GraphileWorkerBenchOptions,
): Promise<GraphileWorkerMeasurement> {
  const { settings } = options;
  const schema = `cadre_bench_graphile_${process.pid}`;
  const utils = await makeWorkerUtils({ connectionString: options.url, schema, logger: quiet });
  const pool = workerPool(options.url, settings.max_pool_size);
  // asks whether any job is left, on a connection of its own
  const watcher = new pg.Client({ connectionString: options.url });
  try {
    await utils.migrate();
    await seedJobs(utils, options.jobs);
    await warmPool(pool, settings.max_pool_size);
    await watcher.connect();
    const runs = new Uint8Array(options.jobs);
    let distinct = 0;
    let ranTwice = 0;
    let started = 0;
    let finish = () => {};
    const allRan = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const events: WorkerEvents = new EventEmitter();
    events.once('pool:create', () => {
      started = performance.now();
    });
    const runner = await run({
      pgPool: pool,
      schema,
      concurrency: settings.concurrency,
      noHandleSignals: true,
      logger: quiet,
      events,
      preset: {
        worker: {
          localQueue: { size: settings.local_queue_size },
          completeJobBatchDelay: settings.complete_job_batch_delay_ms,
          failJobBatchDelay: settings.fail_job_batch_delay_ms,
        },
      },
      taskList: {
        noop: async (payload) => {
          const { index } = jobPayload.parse(payload);
          runs[index] = Math.min(255, (runs[index] ?? 0) + 1);
          if (runs[index] === 2) ranTwice++;
          if (runs[index] === 1 && ++distinct === options.jobs) finish();
        },
      },
    });
    const abort = () => finish();
    options.signal.addEventListener('abort', abort, { once: true });
    try {
      await allRan;
      const left = `select exists (select 1 from ${schema}._private_jobs) as left`;
      while ((await watcher.query<{ left: boolean }>(left)).rows[0]?.left) {
        options.signal.throwIfAborted();
        await sleep(1);
      }
      options.signal.throwIfAborted();
      return { perSecond: options.jobs / ((performance.now() - started) / 1000), ranTwice };
    } finally {
      options.signal.removeEventListener('abort', abort);
      await runner.stop();
    }
  } finally {
    await watcher.end().catch(() => {});
    await pool.end();
    await utils.withPgClient((client) => client.query(`drop schema if exists ${schema} cascade`));
    await utils.release();
  }
}
