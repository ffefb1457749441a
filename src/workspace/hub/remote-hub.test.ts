import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/run-git.ts';
import { createLander } from '../landing/create-lander.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { openRemoteHub } from './open-remote-hub.ts';

const repo = createTempRepo({ 'shared.txt': 'a\nb\nc\n' });
afterAll(() => repo.cleanup());

describe('a remote hub (git URL)', () => {
  it('clones worktrees from a local cache, fetches on each attempt, and lands through the URL', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const remote = join(repo.directory, 'remote.git');
    repo.git(['init', '--quiet', '--bare', '--initial-branch=main', remote], repo.directory);
    repo.git(['push', '--quiet', remote, 'HEAD:refs/heads/main']);
    const hub = await openRemoteHub({
      url: `file://${remote}`,
      cachePath: join(repo.directory, 'cache.git'),
      git,
      signal,
    });
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), 2);
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    const lander = createLander({ hub, board, git });
    const first = await worktrees.create({ label: 'first', signal });
    const second = await worktrees.create({ label: 'second', signal });
    expect(repo.git(['remote', 'get-url', 'origin'], first.path).trim()).toBe(`file://${remote}`);
    repo.write('shared.txt', 'a\nB\nc\n', first.path);
    repo.write('other.txt', 'other\n', second.path);
    const task = (index: number) => ({
      runId,
      taskId: leases[index]?.taskId ?? '',
      fence: leases[index]?.fence ?? 0,
      agentId: `a-${index}`,
    });

    expect(await lander.land({ worktree: first, task: task(0), message: 'First', signal })).toMatchObject({
      type: 'landed',
    });
    // the second clone has not seen the first landing: it must fetch it, rebase and push
    const outcome = await lander.land({ worktree: second, task: task(1), message: 'Second', signal });
    expect(outcome).toMatchObject({ type: 'landed', files: ['other.txt'] });
    expect(await hub.tip(signal)).toBe(outcome.type === 'landed' ? outcome.commit : '');
    expect(repo.git(['show', 'main:shared.txt'], remote)).toBe('a\nB\nc\n');
    expect(repo.git(['rev-list', '--count', 'main'], remote).trim()).toBe('3');
    await board.close();
  });
});
