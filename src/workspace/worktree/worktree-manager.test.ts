import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/run-git.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from './create-worktree-manager.ts';

const repo = createTempRepo();
afterAll(() => repo.cleanup());

describe('worktree manager', () => {
  it('creates clones at the tip, removes them, keeps failed ones when asked, and cleans up after dead owners', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const hub = await openLocalHub({
      userRepo: repo.userRepo,
      git,
      signal,
      path: join(repo.directory, 'hub.git'),
    });
    const root = join(repo.directory, 'worktrees');
    const manager = createWorktreeManager({ hub, root, git, keepOnFailure: true });

    const worktree = await manager.create({ label: 'agent_1', signal });
    expect(worktree.baseCommit).toBe(await hub.tip(signal));
    expect(repo.git(['config', 'core.hooksPath'], worktree.path).trim()).toBe('/dev/null');
    expect(await manager.release(worktree, { failed: false, signal })).toEqual({
      type: 'removed',
      path: worktree.path,
    });
    expect(existsSync(worktree.path)).toBe(false);

    const failed = await manager.create({ label: 'agent_2', signal });
    expect(await manager.release(failed, { failed: true, reason: 'model error', signal })).toEqual({
      type: 'kept',
      path: failed.path,
    });
    expect(existsSync(failed.path)).toBe(true);

    // a worktree whose owner died (a pid that cannot exist), one without a lock, and a live one
    const live = await manager.create({ label: 'agent_3', signal });
    mkdirSync(join(root, 'dead-1'));
    const deadLock = {
      type: 'active',
      pid: 2 ** 22 + 1,
      hostname: (await import('node:os')).hostname(),
      processStart: null,
      createdAt: 0,
    };
    writeFileSync(join(root, 'dead-1.lock'), JSON.stringify(deadLock));
    mkdirSync(join(root, 'orphan'));
    const removed = await manager.cleanStale(signal);
    expect(removed.sort()).toEqual([join(root, 'dead-1'), join(root, 'orphan')]);
    expect(existsSync(live.path)).toBe(true);
    expect(existsSync(failed.path)).toBe(true);
    expect(existsSync(join(root, 'dead-1.lock'))).toBe(false);
  });
});
