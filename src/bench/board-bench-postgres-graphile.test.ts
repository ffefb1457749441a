import { describe, expect, it } from 'vitest';
import { graphileWorkerSettings } from './board-bench-postgres-graphile.ts';

describe('graphile-worker settings of the PostgreSQL bench', () => {
  it('runs its defaults with batching off and its batching as its performance page sets it', () => {
    expect(graphileWorkerSettings('defaults', 128)).toEqual({
      mode: 'defaults',
      concurrency: 128,
      max_pool_size: 130,
      local_queue_size: -1,
      complete_job_batch_delay_ms: -1,
      fail_job_batch_delay_ms: -1,
    });
    expect(graphileWorkerSettings('batching', 128)).toMatchObject({
      concurrency: 128,
      local_queue_size: 500,
      complete_job_batch_delay_ms: 0,
      fail_job_batch_delay_ms: 0,
    });
  });

  it('keeps the local queue above the concurrency and the pool within the server', () => {
    expect(graphileWorkerSettings('batching', 600)).toMatchObject({
      local_queue_size: 601,
      max_pool_size: 150,
    });
    expect(graphileWorkerSettings('defaults', 4).max_pool_size).toBe(10);
  });
});
