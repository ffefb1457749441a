import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { StaleFenceError } from '../errors.ts';
import type { TaskBoard } from '../task-board.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../testing/postgres-cluster.ts';
import { openPostgresBoard } from './open-postgres-board.ts';

// two processes sharing one database, on machines whose clocks disagree by twenty minutes
const skewMs = 10 * 60_000;
const slowClock = () => Date.now() - skewMs;
const fastClock = () => Date.now() + skewMs;

let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Two boards on one fresh database, one whose clock runs behind and one ahead, and a task to lease. */
async function openSkewedPair() {
  const url = await cluster.createDatabase();
  const slow = await openPostgresBoard({ url, clock: slowClock });
  const fast = await openPostgresBoard({ url, clock: fastClock });
  onTestFinished(() => Promise.all([slow.close(), fast.close()]).then(() => {}));
  const serverNow = await connectServerClock(url);
  const run = await slow.createRun({ goal: 'outlast a skewed reaper' });
  const [task] = await slow.createTasks([{ runId: run.id, kind: 'work', title: 'slow work' }]);
  return { slow, fast, serverNow, runId: run.id, taskId: task!.id };
}

/** Reads the server's clock apart from the board's own SQL (pg turns timestamptz into a Date). */
async function connectServerClock(url: string): Promise<ServerClock> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  onTestFinished(() => client.end());
  return async () => {
    const { rows } = await client.query<{ now: Date }>('select clock_timestamp() as now');
    return rows[0]!.now.getTime();
  };
}

type ServerClock = () => Promise<number>;

/** Runs `call` and returns its value with the server's time just before and just after it. */
async function bracketed<T>(serverNow: ServerClock, call: () => Promise<T>) {
  const before = await serverNow();
  const value = await call();
  return { before, value, after: await serverNow() };
}

describe('PostgreSQL lease clock', () => {
  it('keeps a lease from a reaper whose clock runs ahead until it expires by the database clock', async () => {
    const { slow, fast, serverNow, runId, taskId } = await openSkewedPair();
    const slowBefore = slowClock();
    const claimed = await bracketed(serverNow, () => slow.claim({ owner: 'slow-worker', ttlMs: 2000 }));
    const lease = claimed.value!;
    expect(lease.expiresAt).toBeGreaterThanOrEqual(claimed.before + 2000);
    expect(lease.expiresAt).toBeLessThanOrEqual(claimed.after + 2000);
    // by the fast process's clock this lease ran out ten minutes ago
    expect(await fast.reap()).toEqual({ reopened: [], failed: [] });
    const [event] = await fast.readEvents({ runId, types: ['task.claimed'] });
    expect(event!.payload).toMatchObject({ expiresAt: lease.expiresAt });
    // events keep the writer's own clock
    expect(event!.at).toBeGreaterThanOrEqual(slowBefore);
    expect(event!.at).toBeLessThanOrEqual(slowClock());

    await sleep(500);
    const beat = await bracketed(serverNow, () =>
      slow.heartbeat({ taskId, fence: lease.fence, ttlMs: 2000 }),
    );
    const expiresAt = beat.value.expiresAt;
    expect(expiresAt).toBeGreaterThanOrEqual(beat.before + 2000);
    expect(expiresAt).toBeLessThanOrEqual(beat.after + 2000);
    expect(expiresAt).toBeGreaterThan(lease.expiresAt);
    expect((await fast.getTask(taskId)).leaseExpiresAt).toBe(expiresAt);

    const passes = await reapUntilReopened(fast, serverNow, taskId, expiresAt);
    expectReapedOnTime(passes, expiresAt);
    expect(await slow.getTask(taskId)).toMatchObject({ status: 'open', attempts: 1, leaseOwner: null });
    await expect(slow.heartbeat({ taskId, fence: lease.fence, ttlMs: 2000 })).rejects.toBeInstanceOf(
      StaleFenceError,
    );
  });

  it('lets a reaper whose clock runs behind reap on time', async () => {
    const { slow, fast, serverNow, taskId } = await openSkewedPair();
    const lease = await fast.claim({ owner: 'fast-worker', ttlMs: 1000 });
    // by the slow process's clock this lease has ten minutes to go
    const passes = await reapUntilReopened(slow, serverNow, taskId, lease!.expiresAt);
    expectReapedOnTime(passes, lease!.expiresAt);
  });

  it('judges expiry at the `now` a caller names instead of the database clock', async () => {
    const { slow, fast, taskId } = await openSkewedPair();
    const lease = await slow.claim({ owner: 'slow-worker', ttlMs: 60_000 });
    expect(await fast.reap({ now: lease!.expiresAt })).toEqual({ reopened: [], failed: [] });
    expect(await fast.reap({ now: lease!.expiresAt + 1 })).toEqual({ reopened: [taskId], failed: [] });
  });

  it('judges the merge queue lease by the database clock: no early takeover, a late one gets fence + 1', async () => {
    const { slow, fast, serverNow, runId } = await openSkewedPair();
    const taken = await bracketed(serverNow, () =>
      slow.acquireQueueLease({ runId, owner: 'slow-runner', ttlMs: 1000 }),
    );
    const lease = taken.value!;
    expect(lease.expiresAt).toBeGreaterThanOrEqual(taken.before + 1000);
    expect(lease.expiresAt).toBeLessThanOrEqual(taken.after + 1000);
    // by the fast process's clock this lease ran out ten minutes ago
    expect(await fast.acquireQueueLease({ runId, owner: 'fast-runner', ttlMs: 1000 })).toBeNull();
    const renewed = await slow.renewQueueLease({ runId, fence: lease.fence, ttlMs: 300 });
    expect(renewed.fence).toBe(lease.fence);
    while ((await serverNow()) <= renewed.expiresAt) await sleep(50);
    const check = { runId, commit: 'abc1234', base: 'abc1234', entryIds: [], flaky: false, output: '' };
    await expect(
      slow.recordCheckRun({ ...check, queueFence: lease.fence, result: 'passed', durationMs: 1 }),
    ).rejects.toMatchObject({ type: 'stale-fence', currentStatus: 'expired' });
    const next = await fast.acquireQueueLease({ runId, owner: 'fast-runner', ttlMs: 1000 });
    expect(next).toMatchObject({ owner: 'fast-runner', fence: lease.fence + 1 });
    await expect(slow.renewQueueLease({ runId, fence: lease.fence, ttlMs: 1000 })).rejects.toBeInstanceOf(
      StaleFenceError,
    );
  });
});

/**
 * Reaps every 50 ms, recording when each pass ran by the server's clock, until one reopens the
 * task, one begins after the expiry (it should have), or ten seconds pass.
 */
async function reapUntilReopened(
  reaper: TaskBoard,
  serverNow: ServerClock,
  taskId: string,
  expiresAt: number,
) {
  const passes: ReaperPass[] = [];
  const giveUpAt = (await serverNow()) + 10_000;
  for (;;) {
    const { before, value, after } = await bracketed(serverNow, () => reaper.reap());
    const reopened = value.reopened.includes(taskId);
    passes.push({ before, after, reopened });
    if (reopened || before > expiresAt || before > giveUpAt) return passes;
    await sleep(50);
  }
}

/** When one reaper pass ran, by the server's clock, and whether it reopened the task. */
type ReaperPass = { before: number; after: number; reopened: boolean };

/** A pass reopened the task; none that ended before the expiry did, and every one that began after did. */
function expectReapedOnTime(passes: ReaperPass[], expiresAt: number) {
  const last = passes.at(-1)!;
  expect(last.reopened).toBe(true);
  expect(last.after).toBeGreaterThan(expiresAt);
  for (const pass of passes.slice(0, -1)) expect(pass.before).toBeLessThanOrEqual(expiresAt);
  // the first pass came while the lease was alive: the reaper looked at it and held back
  expect(passes.length).toBeGreaterThan(1);
}
