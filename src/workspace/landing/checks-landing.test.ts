import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, SandboxConfig } from '../../sandbox/index.ts';
import { createGit } from '../git/run-git.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { createLander } from './create-lander.ts';
import { createChecksConfig } from './run-checks.ts';

const repo = createTempRepo({ 'value.txt': 'ok\n' });
const sandbox = createSandbox();
const sandboxedChecks = (settings: { command: string; timeoutMs: number }) =>
  createChecksConfig(settings, SandboxConfig.parse({}), sandbox);
afterAll(() => repo.cleanup());

describe('checks before the push', () => {
  it('pushes only a change whose rebased tree passes the checks, and reports a failure or a timeout', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), 2);
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    const checks = sandboxedChecks({
      command: 'grep -qx ok value.txt || { echo "value.txt is not ok"; exit 3; }',
      timeoutMs: 10_000,
    });
    const lander = createLander({ hub, board, git, checks });
    const task = (index: number) => ({
      runId,
      taskId: leases[index]?.taskId ?? '',
      fence: leases[index]?.fence ?? 0,
      agentId: `a-${index}`,
    });
    const seedTip = await hub.tip(signal);

    const broken = await worktrees.create({ label: 'broken', signal });
    repo.write('value.txt', 'broken\n', broken.path);
    const failed = await lander.land({
      worktree: broken,
      task: task(0),
      message: 'Break it',
      runChecks: true,
      signal,
    });
    expect(failed).toMatchObject({
      type: 'checks-failed',
      checks: { type: 'failed', exitCode: 3, output: 'value.txt is not ok\n' },
    });
    expect(await hub.tip(signal)).toBe(seedTip);

    const slow = createLander({
      hub,
      board,
      git,
      checks: sandboxedChecks({ command: 'sleep 5', timeoutMs: 100 }),
    });
    const timedOut = await slow.land({
      worktree: broken,
      task: task(0),
      message: 'Break it',
      runChecks: true,
      signal,
    });
    expect(timedOut).toMatchObject({ type: 'checks-failed', checks: { type: 'timed-out' } });

    const good = await worktrees.create({ label: 'good', signal });
    repo.write('added.txt', 'fine\n', good.path);
    const landed = await lander.land({
      worktree: good,
      task: task(1),
      message: 'Add a file',
      runChecks: true,
      signal,
    });
    expect(landed).toMatchObject({ type: 'landed', files: ['added.txt'] });
    await board.close();
  });
});
