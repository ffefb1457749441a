import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitDiffTool } from './git-diff.ts';
import { createGitStatusTool } from './git-status.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const gitStatus = createGitStatusTool();
const gitDiff = createGitDiffTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

describe('git_status', () => {
  it('reports a clean tree, then changes and untracked files', async () => {
    worktree = await createTempWorktree({ git: true, files: { 'a.txt': 'a\n' } });
    expect((await gitStatus.execute({}, worktree.context)).output).toBe('## main\n(working tree clean)');
    await worktree.write('a.txt', 'changed\n');
    await worktree.write('new/b.txt', 'b\n');
    expect((await gitStatus.execute({}, worktree.context)).output).toBe('## main\n M a.txt\n?? new/b.txt');
  });

  it('fails outside a git repository', async () => {
    worktree = await createTempWorktree();
    const outcome = await gitStatus.execute({}, worktree.context);
    expect(outcome).toMatchObject({ type: 'tool-error' });
    expect(outcome.output).toContain('not a git repository');
  });

  it('does not run the fsmonitor hook a repository config names', async () => {
    worktree = await createTempWorktree({ git: true, files: { 'a.txt': 'a\n' } });
    const marker = path.join(await worktree.outsideDirectory(), 'ran');
    await worktree.git('config', 'core.fsmonitor', `touch ${marker}; false`);
    await gitStatus.execute({}, worktree.context);
    await expect(writeFile(marker, '', { flag: 'wx' })).resolves.toBeUndefined();
  });
});

describe('git_diff', () => {
  it('shows unstaged, staged and base diffs, limited to paths', async () => {
    worktree = await createTempWorktree({ git: true, files: { 'a.txt': 'a\n', 'b.txt': 'b\n' } });
    expect((await gitDiff.execute({}, worktree.context)).output).toBe('(no differences)');
    await worktree.write('a.txt', 'a2\n');
    await worktree.write('b.txt', 'b2\n');
    const unstaged = (await gitDiff.execute({ paths: ['a.txt'] }, worktree.context)).output;
    expect(unstaged).toContain('-a\n+a2');
    expect(unstaged).not.toContain('b.txt');
    await worktree.git('add', 'b.txt');
    const staged = (await gitDiff.execute({ staged: true }, worktree.context)).output;
    expect(staged).toContain('-b\n+b2');
    expect(staged).not.toContain('a.txt');
    expect((await gitDiff.execute({ base: 'HEAD' }, worktree.context)).output).toContain('2 files changed');
  });

  it('fails on an unknown revision, an option posing as a revision and a path outside', async () => {
    worktree = await createTempWorktree({ git: true, files: { 'a.txt': 'a\n' } });
    expect((await gitDiff.execute({ base: 'no-such-branch' }, worktree.context)).output).toContain(
      'git diff failed',
    );
    expect((await gitDiff.execute({ base: '--output=/tmp/x' }, worktree.context)).type).toBe('invalid-input');
    expect((await gitDiff.execute({ paths: ['../x'] }, worktree.context)).output).toContain(
      'outside the worktree',
    );
  });
});
