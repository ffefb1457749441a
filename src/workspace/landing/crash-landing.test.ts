import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines, spawnTypeScript, waitForExit } from '../../board/testing/spawn-typescript.ts';
import type { Lease } from '../../protocol/index.ts';
import { createGit } from '../git/run-git.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { createLander } from './create-lander.ts';
import type { LandingStep } from './land-outcome.ts';

const repo = createTempRepo();
afterAll(() => repo.cleanup());
const signal = new AbortController().signal;
const git = createGit();

async function setUp(name: string) {
  const hubPath = join(repo.directory, `${name}.git`);
  const hub = await openLocalHub({ userRepo: repo.userRepo, path: hubPath, git, signal });
  const boardPath = join(repo.directory, `${name}.db`);
  const claimed = await createClaimedTasks(boardPath, 1, 60_000);
  const worktreeRoot = join(repo.directory, `${name}-worktrees`);
  return { hub, boardPath, worktreeRoot, ...claimed, lease: claimed.leases[0] as Lease };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

/** Starts the fixture lander and resolves once it printed `waitFor`. */
async function startFixture(setup: Setup, waitFor: string, pauseAt?: LandingStep) {
  const child = spawnTypeScript(new URL('../__fixtures__/land-task.ts', import.meta.url), [
    JSON.stringify({
      userRepo: repo.userRepo,
      hubPath: setup.hub.url,
      boardPath: setup.boardPath,
      worktreeRoot: setup.worktreeRoot,
      runId: setup.runId,
      taskId: setup.lease.taskId,
      fence: setup.lease.fence,
      agentId: 'agent-first',
      file: 'feature.txt',
      content: 'the feature\n',
      pauseAt,
    }),
  ]);
  const lines = readLines(child);
  for await (const line of lines) if (line.startsWith(waitFor)) break;
  return child;
}

/** Expires the dead lander's lease and claims the task again, as the reaper and a new worker would. */
async function retryLease(setup: Setup): Promise<Lease> {
  await setup.board.reap({ now: Date.now() + 120_000 });
  const lease = await setup.board.claim({
    owner: 'agent-second',
    ttlMs: 60_000,
    filter: { runId: setup.runId },
  });
  if (!lease) throw new Error('the task was not reopened');
  expect(lease.fence).toBeGreaterThan(setup.lease.fence);
  return lease;
}

/** Commits on the hub's branch carrying the task's trailer. */
function commitsOfTask(setup: Setup): string[] {
  return repo
    .git(
      ['log', `--format=%H %(trailers:key=Cadre-Task,valueonly,separator=)`, setup.hub.branch],
      setup.hub.url,
    )
    .split('\n')
    .filter((line) => line.endsWith(` ${setup.lease.taskId}`))
    .map((line) => line.split(' ')[0] as string);
}

async function landAgain(setup: Setup, lease: Lease, content: string) {
  const worktrees = createWorktreeManager({ hub: setup.hub, root: setup.worktreeRoot, git });
  const removed = await worktrees.cleanStale(signal);
  const worktree = await worktrees.create({ label: 'agent-second', signal });
  repo.write('feature.txt', content, worktree.path);
  const lander = createLander({ hub: setup.hub, board: setup.board, git });
  const task = { runId: setup.runId, taskId: lease.taskId, fence: lease.fence, agentId: 'agent-second' };
  const outcome = await lander.land({ worktree, task, message: 'Write feature.txt again', signal });
  // the first lander's fence is stale now: it may not land, whatever it brings
  const stale = await lander.land({
    worktree,
    task: { ...task, fence: setup.lease.fence },
    message: 'late',
    signal,
  });
  return { removed, outcome, stale };
}

describe('landers killed mid-landing', () => {
  it('killed between commit and push: nothing reached the branch, and the retried task lands once', async () => {
    const setup = await setUp('between');
    const seedTip = await setup.hub.tip(signal);
    const child = await startFixture(setup, 'paused committed', 'committed');
    child.kill('SIGKILL');
    expect(await waitForExit(child)).toBe('SIGKILL');
    expect(await setup.hub.tip(signal)).toBe(seedTip);
    expect(await setup.board.getLanding(setup.lease.taskId)).toBeNull();

    const lease = await retryLease(setup);
    const { removed, outcome, stale } = await landAgain(setup, lease, 'the feature, redone\n');
    expect(removed).toHaveLength(1);
    expect(outcome.type).toBe('landed');
    expect(stale.type).toBe('already-landed');
    const commits = commitsOfTask(setup);
    expect(commits).toHaveLength(1);
    expect(await setup.board.getLanding(lease.taskId)).toMatchObject({
      commit: commits[0],
      fence: lease.fence,
    });
    expect(repo.git(['show', `${setup.hub.branch}:feature.txt`], setup.hub.url)).toBe(
      'the feature, redone\n',
    );
    await setup.board.close();
  });

  it('killed during push: the push completes unrecorded, and the retry records it instead of pushing again', async () => {
    const setup = await setUp('during');
    const entered = join(repo.directory, 'push-entered');
    const release = join(repo.directory, 'push-release');
    const hook = join(setup.hub.url, 'hooks', 'pre-receive');
    // the hub holds the push in its pre-receive hook until the test lets go
    writeFileSync(
      hook,
      `#!/bin/sh\ntouch '${entered}'\nwhile [ ! -e '${release}' ]; do sleep 0.02; done\nexit 0\n`,
    );
    chmodSync(hook, 0o755);
    const seedTip = await setup.hub.tip(signal);
    const child = await startFixture(setup, 'worktree');
    while (!existsSync(entered)) await sleep(10);
    child.kill('SIGKILL');
    expect(await waitForExit(child)).toBe('SIGKILL');
    writeFileSync(release, '');
    // the orphaned `git push` finishes on its own: the commit lands without a landing record
    while ((await setup.hub.tip(signal)) === seedTip) await sleep(10);
    rmSync(hook);
    const [pushed] = commitsOfTask(setup);
    expect(pushed).toBeDefined();
    expect(await setup.board.getLanding(setup.lease.taskId)).toBeNull();

    const lease = await retryLease(setup);
    const { removed, outcome, stale } = await landAgain(setup, lease, 'the feature, redone differently\n');
    expect(removed).toHaveLength(1);
    expect(outcome).toMatchObject({ type: 'already-landed', source: 'branch', commit: pushed });
    expect(stale).toMatchObject({ type: 'already-landed', source: 'board', commit: pushed });
    expect(commitsOfTask(setup)).toEqual([pushed]);
    expect(await setup.board.getLanding(lease.taskId)).toMatchObject({ commit: pushed, fence: lease.fence });
    expect(repo.git(['show', `${setup.hub.branch}:feature.txt`], setup.hub.url)).toBe('the feature\n');
    await setup.board.close();
  });

  it('refuses a stale fence before pushing anything', async () => {
    const setup = await setUp('stale');
    const lease = await retryLease(setup);
    const worktrees = createWorktreeManager({ hub: setup.hub, root: setup.worktreeRoot, git });
    const worktree = await worktrees.create({ label: 'agent-old', signal });
    repo.write('feature.txt', 'from the old holder\n', worktree.path);
    const lander = createLander({ hub: setup.hub, board: setup.board, git });
    const task = { runId: setup.runId, taskId: lease.taskId, fence: setup.lease.fence, agentId: 'agent-old' };
    const outcome = await lander.land({ worktree, task, message: 'Old holder', signal });
    expect(outcome).toMatchObject({ type: 'stale-fence', pushed: false });
    expect(commitsOfTask(setup)).toEqual([]);
    await setup.board.close();
  });
});
