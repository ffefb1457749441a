import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLeases, openPostgresBoard, readAllEvents, type TaskBoard } from '../board/index.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../board/testing/postgres-cluster.ts';
import { createDemoRepository, placementOfEvent } from '../orchestrator/index.ts';
import { createGit, gitText } from '../workspace/index.ts';
import { type CliResult, finished, startCli } from './testing/run-cli.ts';

const git = createGit();
const signal = new AbortController().signal;
const scratch = mkdtempSync(join(tmpdir(), 'cadre-multi-'));
let cluster: ThrowawayCluster;
let count = 0;

beforeAll(async () => {
  cluster = await startThrowawayCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A run of the real binary: the orchestrator with no local agents, a bare repo as hub, PostgreSQL as board. */
interface MultiProcessRun {
  url: string;
  hub: string;
  board: TaskBoard;
  runId: string;
  orchestrator: Promise<CliResult>;
  /** What the orchestrator wrote to stderr so far. */
  orchestratorLog(): string;
  startWorker(): { child: ChildProcess; done: Promise<CliResult> };
}

async function startRun(fleet: Record<string, unknown>): Promise<MultiProcessRun> {
  const directory = join(scratch, `run-${++count}`);
  const repo = await createDemoRepository({ directory: join(directory, 'repo'), git, signal });
  const hub = join(directory, 'hub.git');
  await git(['init', '--quiet', '--bare', '--initial-branch=main', hub], { cwd: directory, signal });
  const config = join(directory, 'cadre.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      models: {
        roles: { planner: ['sim:planner'], worker: ['sim:worker'], judge: ['sim:judge'] },
        sim: { latency: { type: 'fixed', ms: 30 } },
      },
      fleet: { planners: 0, workers: 0, maxSubplanners: 2, ...fleet },
      tools: { shell: { allowUnsandboxed: false } },
    }),
  );
  const url = await cluster.createDatabase();
  const orchestratorChild = startCli(
    ['run', '--goal', 'add modules', '--board', url, '--hub', hub, '--config', config, '--json'],
    { cwd: repo },
  );
  let orchestratorLog = '';
  orchestratorChild.stderr?.on('data', (chunk) => {
    orchestratorLog += String(chunk);
  });
  const orchestrator = finished(orchestratorChild);
  const board = await waitFor('the board', () => openPostgresBoard({ url, create: false }).catch(() => null));
  const run = await waitFor('the run', async () => (await board.listRuns({ limit: 1 }))[0]);
  let workers = 0;
  return {
    url,
    hub,
    board,
    runId: run.id,
    orchestrator,
    orchestratorLog: () => orchestratorLog,
    startWorker() {
      const workdir = join(directory, `worker-${++workers}`);
      const child = startCli(
        ['worker', '--board', url, '--run', run.id, '--max', '2', '--workdir', workdir, '--json'],
        { cwd: directory },
      );
      return { child, done: finished(child) };
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Where a run stands, for a test that gave up waiting: task counts, cycles, the last events, the orchestrator's log. */
async function describeRun(run: MultiProcessRun): Promise<string> {
  const counts = await run.board.countTasks(run.runId);
  const cycles = await run.board.listCycles(run.runId);
  const events = await readAllEvents(run.board, { runId: run.runId });
  const last = events.slice(-25).map((event) => `${event.type} ${event.taskId ?? ''} ${event.agentId ?? ''}`);
  return [
    `tasks ${JSON.stringify(counts)}`,
    `cycles ${cycles.map((cycle) => `${cycle.n}:${cycle.status}`).join(' ')}`,
    `last events:\n${last.join('\n')}`,
    `orchestrator stderr:\n${run.orchestratorLog().slice(-3000)}`,
  ].join('\n');
}

/** The run ended well: every task done exactly once, and one commit on the hub per landed work task. */
async function expectExactlyOnce(run: MultiProcessRun, result: CliResult): Promise<void> {
  expect(result.code, result.stderr.slice(-3000)).toBe(0);
  const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
  expect(summary.status).toBe('done');
  expect(summary.tasks).toMatchObject({ open: 0, leased: 0, failed: 0, cancelled: 0 });
  const audit = await auditLeases(run.board, run.runId);
  expect(audit).toMatchObject({ completedMoreThanOnce: 0, doubleClaims: 0, notDone: 0, statusMismatches: 0 });
  const work = await run.board.listTasks({ runId: run.runId, kind: 'work', limit: 10_000 });
  expect(work.length).toBeGreaterThan(0);
  const log = await gitText(
    git,
    ['log', '--format=%(trailers:key=Cadre-Task,valueonly,separator=)', 'main'],
    { cwd: run.hub, signal },
  );
  const landed = log.split('\n').filter(Boolean);
  expect(new Set(landed).size).toBe(landed.length);
  expect(new Set(landed)).toEqual(new Set(work.map((task) => task.id)));
  // the run's process ran no planner or worker: every one ran in a joined worker process
  const placed = await run.board.readEvents({ runId: run.runId, types: ['agent.registered'], limit: 10_000 });
  const agents = await run.board.listAgents({ runId: run.runId, limit: 10_000 });
  const processOf = new Map(placed.map((event) => [event.agentId, placementOfEvent(event)?.process]));
  for (const agent of agents) {
    expect(processOf.get(agent.id)).toBe(agent.role === 'judge' ? 'orchestrator' : 'worker');
  }
}

describe('a run shared by processes over PostgreSQL and a git remote', () => {
  it('an orchestrator with no local agents and 3 worker processes finish a sim run together', async () => {
    const run = await startRun({ cycles: 2 });
    try {
      const workers = [run.startWorker(), run.startWorker(), run.startWorker()];
      // a fourth worker stopped with SIGTERM mid-run stops its agents and hands their tasks back
      const stopped = run.startWorker();
      await waitFor('a landing', async () => {
        const landed = await run.board.readEvents({ runId: run.runId, types: ['landing.recorded'] });
        return landed.length >= 1;
      });
      stopped.child.kill('SIGTERM');
      const stoppedEnded = await stopped.done;
      expect(stoppedEnded.code, stoppedEnded.stderr.slice(-2000)).toBe(0);
      const result = await run.orchestrator;
      for (const worker of workers) {
        const ended = await worker.done;
        expect(ended.code, ended.stderr.slice(-2000)).toBe(0);
      }
      await expectExactlyOnce(run, result);
      const done = workers.map((worker) => worker.done);
      const completed = (await Promise.all(done)).map(
        (ended) => JSON.parse(ended.stdout.trim().split('\n').at(-1) as string).completed as number,
      );
      expect(completed.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    } finally {
      await run.board.close();
    }
  }, 90_000);

  it('chaos: a worker process SIGKILLed every 1-2 s and replaced, 20+ times; every task done exactly once', async () => {
    const run = await startRun({ cycles: 4, leaseTtlMs: 2000, maxAttempts: 100, maxSubplanners: 3 });
    let orchestratorDone = false;
    const result = run.orchestrator.then((ended) => {
      orchestratorDone = true;
      return ended;
    });
    const live = [run.startWorker(), run.startWorker(), run.startWorker()];
    const all = [...live];
    try {
      let kills = 0;
      // 20+ kills, then the survivors finish the run; the run is long enough that it is still going
      while (!orchestratorDone && kills < 22) {
        await Promise.race([sleep(1000 + Math.random() * 1000), result]);
        if (orchestratorDone) break;
        const [victim] = live.splice(Math.floor(Math.random() * live.length), 1);
        victim?.child.kill('SIGKILL');
        kills++;
        const replacement = run.startWorker();
        live.push(replacement);
        all.push(replacement);
      }
      // a run that has not ended long after its usual 40-90 s says where it stands, not just "timed out"
      const ended = await Promise.race([
        result,
        sleep(120_000).then(async () => {
          throw new Error(`the run did not end: ${await describeRun(run)}`);
        }),
      ]);
      await expectExactlyOnce(run, ended);
      expect(kills).toBeGreaterThanOrEqual(20);
      for (const worker of live) expect((await worker.done).code).toBe(0);
      await Promise.all(all.map((worker) => worker.done));
      console.info(`chaos: ${kills} worker processes killed`);
    } finally {
      // a failed test leaves no process behind
      for (const worker of all) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await run.board.close();
    }
  }, 240_000);

  it('a paused run is not claimed from by a joined worker until it is resumed', async () => {
    const run = await startRun({ cycles: 1 });
    try {
      await run.board.sendMessage({ recipient: { type: 'run', runId: run.runId }, kind: 'pause' });
      await waitFor('the run paused', async () => (await run.board.getRun(run.runId)).status === 'paused');
      const worker = run.startWorker();
      const registered = async () =>
        (await readAllEvents(run.board, { runId: run.runId, types: ['agent.registered'] })).length;
      // long enough for the worker to start, join and look for work several times
      await waitFor('the worker joined', async () => {
        const joined = await run.board.readEvents({ runId: run.runId, types: ['worker.joined'] });
        return joined.length > 0;
      });
      await sleep(4_000);
      expect(await registered()).toBe(0);
      expect(await run.board.countTasks(run.runId)).toMatchObject({ open: 1, leased: 0 });
      await run.board.sendMessage({ recipient: { type: 'run', runId: run.runId }, kind: 'resume' });
      const result = await run.orchestrator;
      expect((await worker.done).code).toBe(0);
      await expectExactlyOnce(run, result);
      expect(await registered()).toBeGreaterThan(0);
    } finally {
      await run.board.close();
    }
  }, 90_000);

  it('PostgreSQL restarted mid-run: workers and the orchestrator reconnect and the run finishes', async () => {
    const run = await startRun({ cycles: 2, leaseTtlMs: 3000, maxAttempts: 20 });
    try {
      const workers = [run.startWorker(), run.startWorker(), run.startWorker()];
      await waitFor('some landings', async () => {
        const landed = await run.board.readEvents({ runId: run.runId, types: ['landing.recorded'] });
        return landed.length >= 2;
      });
      await cluster.restart();
      const result = await run.orchestrator;
      for (const worker of workers) {
        const ended = await worker.done;
        expect(ended.code, ended.stderr.slice(-2000)).toBe(0);
      }
      await expectExactlyOnce(run, result);
    } finally {
      await run.board.close();
    }
  }, 90_000);
});
