import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { auditLeases } from '../audit.ts';
import { StaleFenceError } from '../errors.ts';
import type { TaskBoard } from '../task-board.ts';
import { readLines, spawnTypeScript, waitForExit } from './spawn-typescript.ts';

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  completed: string[];
  stale: string[];
  claimed: Map<string, number>;
  done: Promise<void>;
}

function startWorker(location: string, runId: string, name: string, ttlMs: number): WorkerProcess {
  const child = spawnTypeScript(new URL('../__fixtures__/claim-worker.ts', import.meta.url), [
    location,
    runId,
    name,
    String(ttlMs),
    '2',
    '8',
  ]);
  const worker: WorkerProcess = {
    name,
    child,
    completed: [],
    stale: [],
    claimed: new Map(),
    done: Promise.resolve(),
  };
  worker.done = (async () => {
    for await (const line of readLines(child)) {
      const [kind, taskId, fence] = line.split(' ');
      if (kind === 'claimed') worker.claimed.set(taskId as string, Number(fence));
      if (kind === 'completed') worker.completed.push(taskId as string);
      if (kind === 'stale') worker.stale.push(taskId as string);
    }
  })();
  return worker;
}

/** The board under test and where the worker processes find it (a file path or a connection string). */
export interface ExactlyOnceScenarioOptions {
  board: TaskBoard;
  location: string;
}

/**
 * 4 processes claim and complete 5,000 tasks of one board; one of them is SIGKILLed while it
 * holds leases and another stalls past its leases' expiry. Asserts every task is done exactly
 * once, the late completions were refused, and the event log agrees with the rows.
 */
export async function runExactlyOnceScenario({ board, location }: ExactlyOnceScenarioOptions) {
  const ttlMs = 1500;
  const run = await board.createRun({ goal: 'exactly-once under concurrency' });
  for (let offset = 0; offset < 5000; offset += 2500) {
    await board.createTasks(
      Array.from({ length: 2500 }, (_, index) => ({
        runId: run.id,
        kind: 'work' as const,
        title: `task ${offset + index}`,
      })),
    );
  }
  const workers = ['p0', 'p1', 'p2', 'p3'].map((name) => startWorker(location, run.id, name, ttlMs));
  const [killed, stalled] = workers as [WorkerProcess, WorkerProcess];
  const reaper = setInterval(() => void board.reap().catch(() => {}), 100);
  try {
    const completedCount = () => workers.reduce((sum, worker) => sum + worker.completed.length, 0);
    while (workers.some((worker) => worker.claimed.size === 0) || completedCount() < 500) await sleep(10);
    // a worker that stalls (GC pause, partition) while holding leases, and comes back later
    stalled.child.stdin?.write('freeze\n');
    while (completedCount() < 1500) await sleep(10);
    // kill p0 at a moment it holds leases; any it completes between the look and the kill are done,
    // which makes a late completion with the same fence just as stale
    let heldAtKill: Awaited<ReturnType<typeof board.listTasks>> = [];
    while (heldAtKill.length === 0) {
      const leased = await board.listTasks({ runId: run.id, status: 'leased', limit: 10_000 });
      heldAtKill = leased.filter((task) => task.leaseOwner?.startsWith('p0-'));
    }
    killed.child.kill('SIGKILL');

    // the survivors finish everything, including what the reaper takes back from p0 and p1
    for (;;) {
      const counts = await board.countTasks(run.id);
      if (counts.open + counts.leased === 0) break;
      await sleep(50);
    }
    stalled.child.stdin?.write('thaw\n');
    await Promise.all(workers.map((worker) => worker.done));
    const exits = await Promise.all(workers.map((worker) => waitForExit(worker.child)));
    expect(exits).toEqual(['SIGKILL', 0, 0, 0]);

    // p1's completions after it woke up were refused: its leases had expired and been reassigned
    expect(stalled.stale.length).toBeGreaterThan(0);
    // p0's leases at the moment it died cannot be completed late either
    for (const task of heldAtKill) {
      await expect(board.complete({ taskId: task.id, fence: task.fence })).rejects.toBeInstanceOf(
        StaleFenceError,
      );
    }

    // no completion was accepted twice; p0 may have committed up to one completion per worker
    // without living to print it, so the log below is the full account
    const accepted = workers.flatMap((worker) => worker.completed);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.length).toBeGreaterThanOrEqual(5000 - 8);
    const audit = await auditLeases(board, run.id);
    expect(audit).toMatchObject({
      tasks: 5000,
      done: 5000,
      completedMoreThanOnce: 0,
      doubleClaims: 0,
      notDone: 0,
      statusMismatches: 0,
    });
    expect(audit.expired).toBeGreaterThan(0);
  } finally {
    clearInterval(reaper);
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    }
  }
}
