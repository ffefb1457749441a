import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/run-git.ts';
import { createLander } from '../landing/create-lander.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { fetchRunResult } from './fetch-run-result.ts';
import { openLocalHub } from './open-local-hub.ts';

const repo = createTempRepo({ 'tracked.txt': 'v1\n', 'staged.txt': 's1\n', '.gitignore': 'ignored.log\n' });
afterAll(() => repo.cleanup());

/** The git files that hold the user's state: index, current branch, config, excludes. */
const gitStateFiles = ['.git/index', '.git/HEAD', '.git/config', '.git/info/exclude', '.git/refs/heads/main'];

/**
 * A hash of every file of the user's working tree (tracked, untracked and ignored) and of the git
 * state files; cadre's own directory and git's object store (where the result branch's objects go) are left out.
 */
function snapshot(root: string): Record<string, string> {
  const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const files: Record<string, string> = {};
  for (const name of gitStateFiles) files[name] = hash(join(root, name));
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      const name = relative(root, path);
      if (name === '.cadre' || name === '.git') continue;
      if (statSync(path).isDirectory()) walk(path);
      else files[name] = hash(path);
    }
  };
  walk(root);
  return files;
}

/** `git status` as people and scripts read it; `.cadre/` is hidden by the `.gitignore` cadre writes inside it. */
const status = () =>
  repo.git(['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '--untracked-files=all']) +
  repo.git(['--no-optional-locks', 'status', '--long']);

describe("the user's repository", () => {
  it('is byte-identical after a run (working tree, index, untracked files, status), apart from the result branch', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    repo.write('tracked.txt', 'v2, not committed\n');
    repo.write('staged.txt', 's2, staged\n');
    repo.git(['add', 'staged.txt']);
    repo.write('untracked.txt', 'untracked\n');
    repo.write('ignored.log', 'ignored\n');
    const statusBefore = status();
    const filesBefore = snapshot(repo.userRepo);
    const headBefore = repo.git(['rev-parse', 'HEAD']).trim();

    const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
    expect(hub.url).toBe(join(repo.userRepo, '.cadre', 'hub.git'));
    expect(hub.seedCommit).toBe(headBefore);
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), 1);
    const worktrees = createWorktreeManager({ hub, root: join(repo.userRepo, '.cadre', 'worktrees'), git });
    const worktree = await worktrees.create({ label: 'agent', signal });
    // the worktree starts from the committed state, without the user's uncommitted edits
    expect(readFileSync(join(worktree.path, 'tracked.txt'), 'utf8')).toBe('v1\n');
    repo.write('tracked.txt', 'v3 from the agent\n', worktree.path);
    const lease = leases[0];
    const task = { runId, taskId: lease?.taskId ?? '', fence: lease?.fence ?? 0, agentId: 'agent' };
    expect(
      (await createLander({ hub, board, git }).land({ worktree, task, message: 'Agent edit', signal })).type,
    ).toBe('landed');
    await worktrees.release(worktree, { failed: false, signal });
    const result = await fetchRunResult({ hub, userRepo: repo.userRepo, runId, git, signal });
    await board.close();

    expect(result).toEqual({ branch: `cadre/${runId}`, commit: await hub.tip(signal) });
    expect(repo.git(['show', `${result.branch}:tracked.txt`])).toBe('v3 from the agent\n');
    expect(status()).toBe(statusBefore);
    expect(snapshot(repo.userRepo)).toEqual(filesBefore);
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(headBefore);
    expect(repo.git(['for-each-ref', '--format=%(refname)']).trim().split('\n')).toEqual([
      `refs/heads/cadre/${runId}`,
      'refs/heads/main',
    ]);
  });

  it('seeds a hub from a chosen commit and reuses an existing hub', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const first = repo.git(['rev-list', '--max-parents=0', 'HEAD']).trim();
    const path = join(repo.directory, 'seeded.git');
    const hub = await openLocalHub({
      userRepo: repo.userRepo,
      path,
      seed: first,
      branch: 'trunk',
      git,
      signal,
    });
    expect(await hub.tip(signal)).toBe(first);
    expect(hub.seedCommit).toBe(first);
    const again = await openLocalHub({ userRepo: repo.userRepo, path, branch: 'trunk', git, signal });
    expect(again.seedCommit).toBe(first);
  });
});
