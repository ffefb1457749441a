import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresBoard, type TaskBoard } from '../../board/index.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../../board/testing/postgres-cluster.ts';
import { readLines, spawnTypeScript, waitForExit } from '../../board/testing/spawn-typescript.ts';
import type { Lease } from '../../protocol/index.ts';
import { brokenWordChecks, createQueueHarness } from '../testing/merge-queue-harness.ts';

const fixture = new URL('../__fixtures__/run-merge-queue.ts', import.meta.url);
let cluster: ThrowawayCluster | null = null;
afterAll(async () => {
  await cluster?.stop();
});

/** Resolves when the child prints a line containing `text`, and keeps reading its output after (a closed pipe would kill it). */
function untilLine(child: ReturnType<typeof spawnTypeScript>, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    void (async () => {
      for await (const line of readLines(child)) if (line.includes(text)) resolve();
      reject(new Error(`the process ended without printing "${text}"`));
    })();
  });
}

/** Each task's trailer appears on the branch exactly once. */
function trailerCounts(
  git: (args: readonly string[], cwd?: string) => string,
  hubPath: string,
  leases: Lease[],
) {
  const log = git(['log', '--format=%B', 'main'], hubPath);
  return leases.map((lease) => log.split(`Cadre-Task: ${lease.taskId}`).length - 1);
}

describe('merge queue across processes', () => {
  it('survives SIGKILL of the queue owner mid-check: another process takes over and lands each change once', async () => {
    const harness = await createQueueHarness({ tasks: 3, settings: { leaseTtlMs: 1500 } });
    try {
      const hubPath = harness.hub.location.type === 'local' ? harness.hub.location.path : '';
      const owner = spawnTypeScript(fixture, [
        JSON.stringify({
          board: join(harness.repo.directory, 'board.db'),
          userRepo: harness.repo.userRepo,
          hubPath,
          worktreeRoot: join(harness.repo.directory, 'first-owner'),
          runId: harness.runId,
          checks: `sleep 2; ${brokenWordChecks}`,
          owner: 'first-owner',
          leaseTtlMs: 1500,
          lands: [],
        }),
      ]);
      const exited = waitForExit(owner);
      await untilLine(owner, 'owns the queue');
      const landing = [0, 1, 2].map((index) => harness.land(index, { [`f${index}.txt`]: `${index}\n` }));
      // kill it while it checks the first batch of the changes
      for (;;) {
        const events = await harness.queueEvents();
        if (events.some((event) => event.type === 'queue.batch' && event.payload.purpose === 'batch')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      owner.kill('SIGKILL');
      await exited;
      expect((await harness.board.listQueueEntries({ runId: harness.runId, status: 'settled' })).length).toBe(
        0,
      );
      harness.startQueue('second-owner');
      const outcomes = await Promise.all(landing);
      expect(outcomes.map((outcome) => outcome.type)).toEqual(['landed', 'landed', 'landed']);
      expect(trailerCounts(harness.repo.git, hubPath, harness.leases)).toEqual([1, 1, 1]);
      const leases = (await harness.queueEvents()).flatMap((event) =>
        event.type === 'queue.lease' ? [event.payload.owner] : [],
      );
      expect(leases).toEqual(['first-owner', 'second-owner']);
    } finally {
      await harness.close();
    }
  });

  it('settles an entry whose change a dead owner pushed but never recorded, without landing it twice', async () => {
    const harness = await createQueueHarness({ tasks: 1 });
    try {
      const hubPath = harness.hub.location.type === 'local' ? harness.hub.location.path : '';
      const lease = harness.leases[0] as Lease;
      // the change goes to the queue ref and, as a dead owner would have pushed it, onto the branch
      const clone = join(harness.repo.directory, 'dead-owner');
      harness.repo.git(['clone', '--quiet', hubPath, clone], harness.repo.directory);
      harness.repo.write('f.txt', 'pushed\n', clone);
      const trailers = `Cadre-Run: ${harness.runId}\nCadre-Task: ${lease.taskId}\nCadre-Fence: ${lease.fence}\nCadre-Agent: ${lease.owner}`;
      const base = harness.repo.git(['rev-parse', 'HEAD'], clone).trim();
      const commit = harness.repo.commit(`Write f.txt\n\n${trailers}`, clone);
      const ref = `refs/cadre/queue/${lease.taskId}/${lease.fence}`;
      harness.repo.git(['push', '--quiet', 'origin', `${commit}:${ref}`, `${commit}:refs/heads/main`], clone);
      const entry = await harness.board.submitToQueue({
        runId: harness.runId,
        taskId: lease.taskId,
        fence: lease.fence,
        agentId: lease.owner,
        commit,
        base,
        ref,
        files: ['f.txt'],
      });
      harness.startQueue();
      let settled = entry;
      while (settled.status === 'queued') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        settled = await harness.board.getQueueEntry(entry.id);
      }
      expect(settled.outcome).toEqual({ type: 'already-landed', commit });
      expect(trailerCounts(harness.repo.git, hubPath, [lease])).toEqual([1]);
      expect((await harness.board.getLanding(lease.taskId))?.commit).toBe(commit);
    } finally {
      await harness.close();
    }
  });

  it('lands the changes of two processes over PostgreSQL through one queue', async () => {
    cluster = await startThrowawayCluster();
    const url = await cluster.createDatabase('queue');
    const harness = await createQueueHarness({ tasks: 1 });
    let board: TaskBoard | null = null;
    try {
      board = await openPostgresBoard({ url });
      const run = await board.createRun({ goal: 'two processes, one queue' });
      await board.createTasks(
        [0, 1, 2, 3].map((index) => ({ runId: run.id, kind: 'work' as const, title: `task ${index}` })),
      );
      const leases: Lease[] = [];
      for (const index of [0, 1, 2, 3]) {
        const lease = await board.claim({
          owner: `process-${index % 2}`,
          ttlMs: 600_000,
          filter: { runId: run.id },
        });
        if (lease) leases.push(lease);
      }
      const hubPath = harness.hub.location.type === 'local' ? harness.hub.location.path : '';
      const processes = [0, 1].map((processIndex) => {
        const child = spawnTypeScript(fixture, [
          JSON.stringify({
            board: url,
            userRepo: harness.repo.userRepo,
            hubPath,
            worktreeRoot: join(harness.repo.directory, `process-${processIndex}`),
            runId: run.id,
            checks: brokenWordChecks,
            owner: `process-${processIndex}`,
            leaseTtlMs: 2000,
            lands: leases
              .filter((lease) => lease.owner === `process-${processIndex}`)
              .map((lease) => ({
                taskId: lease.taskId,
                fence: lease.fence,
                file: `${lease.taskId}.txt`,
                content: 'fine\n',
              })),
          }),
        ]);
        const outcomes: string[] = [];
        const reading = (async () => {
          for await (const line of readLines(child))
            if (line.startsWith('outcome ')) outcomes.push(line.split(' ')[2] ?? '');
        })();
        let errors = '';
        child.stderr?.on('data', (chunk) => {
          errors += String(chunk);
        });
        return { child, outcomes, reading, exit: waitForExit(child), errors: () => errors };
      });
      const exits = await Promise.all(processes.map((process) => process.exit));
      expect(exits, processes.map((process) => process.errors()).join('\n')).toEqual([0, 0]);
      await Promise.all(processes.map((process) => process.reading));
      expect(processes.flatMap((process) => process.outcomes)).toEqual([
        'landed',
        'landed',
        'landed',
        'landed',
      ]);
      expect(trailerCounts(harness.repo.git, hubPath, leases)).toEqual([1, 1, 1, 1]);
      const runs = await board.listCheckRuns({ runId: run.id, limit: 100 });
      const events = await board.readEvents({ runId: run.id, types: ['queue.pushed'] });
      for (const event of events)
        if (event.type === 'queue.pushed')
          expect(
            runs.some((checkRun) => checkRun.commit === event.payload.commit && checkRun.result === 'passed'),
          ).toBe(true);
    } finally {
      await board?.close();
      await harness.close();
    }
  });
});
