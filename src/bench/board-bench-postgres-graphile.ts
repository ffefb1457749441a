import { Logger, makeWorkerUtils, run } from 'graphile-worker';

/** Options for the graphile-worker comparison. */
export interface GraphileWorkerBenchOptions {
  url: string;
  jobs: number;
  /** graphile-worker's own `concurrency` (jobs in flight); its pool gets as many connections. */
  concurrency: number;
  signal: AbortSignal;
}

const quiet = new Logger(() => () => {});

/**
 * The reference point of the PostgreSQL board bench: graphile-worker 0.17 with its default
 * settings (no local queue, no batched completion) adds `jobs` no-op jobs with addJobs, untimed
 * as the board's tasks are seeded untimed, then works them all; returns jobs worked per second.
 * Its tables live in a schema of their own, dropped afterwards.
 */
export async function measureGraphileWorker(options: GraphileWorkerBenchOptions): Promise<number> {
  const schema = `cadre_bench_graphile_${process.pid}`;
  const utils = await makeWorkerUtils({ connectionString: options.url, schema, logger: quiet });
  try {
    await utils.migrate();
    for (let offset = 0; offset < options.jobs; offset += 5000) {
      const count = Math.min(5000, options.jobs - offset);
      await utils.addJobs(
        Array.from({ length: count }, (_, index) => ({ identifier: 'noop', payload: { index } })),
      );
    }
    let worked = 0;
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const started = performance.now();
    const runner = await run({
      connectionString: options.url,
      schema,
      concurrency: options.concurrency,
      maxPoolSize: options.concurrency,
      noHandleSignals: true,
      logger: quiet,
      taskList: {
        noop: async () => {
          if (++worked === options.jobs) finish();
        },
      },
    });
    const abort = () => finish();
    options.signal.addEventListener('abort', abort, { once: true });
    try {
      await finished;
      options.signal.throwIfAborted();
      // the last completions commit after their task functions return
      const seconds = (performance.now() - started) / 1000;
      return options.jobs / seconds;
    } finally {
      options.signal.removeEventListener('abort', abort);
      await runner.stop();
    }
  } finally {
    await utils.withPgClient((client) => client.query(`drop schema if exists ${schema} cascade`));
    await utils.release();
  }
}
