import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createListDirTool } from './list-dir.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const listDir = createListDirTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

describe('list_dir', () => {
  it('lists entries, marking directories and links', async () => {
    worktree = await createTempWorktree({ files: { 'b.txt': 'b', 'src/a.ts': 'a' } });
    await symlink('b.txt', path.join(worktree.root, 'link'));
    expect((await listDir.execute({}, worktree.context)).output).toBe('b.txt\nlink@\nsrc/');
    expect((await listDir.execute({ path: 'src' }, worktree.context)).output).toBe('a.ts');
  });

  it('says so for an empty directory', async () => {
    worktree = await createTempWorktree();
    await mkdir(path.join(worktree.root, 'empty'));
    expect((await listDir.execute({ path: 'empty' }, worktree.context)).output).toBe('(empty is empty)');
  });

  it('fails on a file, a missing directory and an escape', async () => {
    worktree = await createTempWorktree({ files: { 'a.txt': 'a' } });
    expect((await listDir.execute({ path: 'a.txt' }, worktree.context)).output).toContain(
      'is a file, not a directory',
    );
    expect((await listDir.execute({ path: 'missing' }, worktree.context)).output).toContain(
      'No such file or directory',
    );
    expect((await listDir.execute({ path: '..' }, worktree.context)).output).toContain(
      'leads outside the worktree',
    );
  });
});
