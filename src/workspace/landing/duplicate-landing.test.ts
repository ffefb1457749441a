import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/run-git.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { createLander } from './create-lander.ts';
import type { LandingEvent } from './land-outcome.ts';

const repo = createTempRepo({ 'README.md': '# duplicate\n' });
afterAll(() => repo.cleanup());

describe('two tasks making the same change', () => {
  it('lands it once: the second is nothing-to-land after its rebase, pushes nothing and sits on the tip', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), 2);
    const [first, second] = leases as [(typeof leases)[0], (typeof leases)[0]];
    const events: LandingEvent[] = [];
    const lander = createLander({ hub, board, git, onEvent: (event) => events.push(event) });
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    // both worktrees start from the seed, so the duplicate's change is not empty until it is rebased
    const early = await worktrees.create({ label: 'agent-early', signal });
    const late = await worktrees.create({ label: 'agent-late', signal });
    for (const worktree of [early, late])
      repo.write('src/feature.ts', 'export const feature = 1;\n', worktree.path);
    const task = (lease: typeof first, agentId: string) => ({
      runId,
      taskId: lease.taskId,
      fence: lease.fence,
      agentId,
    });

    const landed = await lander.land({
      worktree: early,
      task: task(first, 'agent-early'),
      message: 'Add feature',
      signal,
    });
    if (landed.type !== 'landed') throw new Error(`expected the first to land, got ${landed.type}`);
    const duplicate = await lander.land({
      worktree: late,
      task: task(second, 'agent-late'),
      message: 'Add feature',
      signal,
    });

    expect(duplicate).toEqual({ type: 'nothing-to-land', reason: 'already-on-branch', tip: landed.commit });
    expect(repo.git(['rev-parse', hub.branch], hub.url).trim()).toBe(landed.commit);
    expect(repo.git(['rev-list', '--count', hub.branch], hub.url).trim()).toBe('2');
    expect(await board.getLanding(second.taskId)).toBeNull();
    expect(repo.git(['rev-parse', 'HEAD'], late.path).trim()).toBe(landed.commit);
    expect(repo.git(['status', '--porcelain'], late.path)).toBe('');
    expect(events.at(-1)).toMatchObject({
      type: 'landing.not-landed',
      outcome: 'nothing-to-land',
      taskId: second.taskId,
    });
    await board.close();
  });
});
