import { sql } from 'kysely';
import { z } from 'zod';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { TasksTable } from '../tables.ts';
import { type OperationContext, parseInput } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { leaseEndedColumns, updateLeasedTask } from './fenced-update.ts';
import { type LeaseClockShape, leasePresent } from './lease-clock.ts';

const selectExpired = defineQuery<
  { now: number; limit: number },
  Pick<TasksTable, 'id' | 'run_id' | 'fence' | 'lease_owner'>,
  LeaseClockShape
>(({ db, param, dialect, shape }) =>
  db
    .selectFrom('tasks')
    .select(['id', 'run_id', 'fence', 'lease_owner'])
    .where('status', '=', sql.lit('leased'))
    .where('lease_expires_at', '<', leasePresent(dialect, shape.clock, param('now')))
    .orderBy('lease_expires_at')
    .limit(param('limit')),
);

const reapQuery = defineQuery<
  { id: string; fence: number; now: number; maxAttempts: number },
  Pick<TasksTable, 'status' | 'attempts'>,
  LeaseClockShape
>((context) => {
  const { param, dialect, shape } = context;
  const exhausted = sql`attempts + 1 >= ${param('maxAttempts')}`;
  return (
    updateLeasedTask(context, {
      status: sql`case when ${exhausted} then 'failed' else 'open' end`,
      failure_reason: sql`case when ${exhausted} then 'lease expired too often' else failure_reason end`,
      attempts: sql`attempts + 1`,
      lease_owner: null,
      ...leaseEndedColumns(param('now')),
    })
      // judged again here: a heartbeat may have extended the lease since it was selected
      .where('lease_expires_at', '<', leasePresent(dialect, shape.clock, param('now')))
      .returning(['status', 'attempts'])
  );
});

/** What a reaper pass did. */
export interface ReapResult {
  /** Tasks whose lease expired and which are open again. */
  reopened: string[];
  /** Tasks whose lease expired once too often and which failed for good. */
  failed: string[];
}

/**
 * Returns expired leases to open (attempts + 1), or fails tasks that expired too often. Expiry is
 * judged by the lease clock, unless the caller names the present (`now`, for tests and tools).
 */
export async function reap(
  runner: SqlRunner,
  input: { now?: number | undefined; limit?: number | undefined },
  context: OperationContext,
): Promise<ReapResult> {
  const now = input.now ?? context.clock();
  const shape: LeaseClockShape = { clock: input.now === undefined ? context.leaseClock : 'process' };
  const limit = parseInput(z.int().min(1).max(100_000).default(10_000), input.limit, 'reap limit');
  const result: ReapResult = { reopened: [], failed: [] };
  const expired = await runner.all(selectExpired, { now, limit }, shape);
  for (const task of expired) {
    const fenceNumber = Number(task.fence);
    const args = { id: task.id, fence: fenceNumber, now, maxAttempts: context.maxAttempts };
    const [row] = await runner.all(reapQuery, args, shape);
    // another reaper got there first, or the owner's heartbeat came in since the select
    if (!row) continue;
    const failedForGood = row.status === 'failed';
    (failedForGood ? result.failed : result.reopened).push(task.id);
    await writeEvent(
      runner,
      {
        runId: task.run_id,
        taskId: task.id,
        type: failedForGood ? 'task.failed' : 'task.expired',
        payload: {
          owner: task.lease_owner,
          fence: fenceNumber,
          attempts: Number(row.attempts),
          ...(failedForGood ? { reason: 'lease expired too often' } : {}),
        },
      },
      now,
    );
  }
  return result;
}
