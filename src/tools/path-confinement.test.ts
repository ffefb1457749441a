import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../agent/index.ts';
import { isInside, type ResolvePathOptions, resolveWorktreePath } from './path-confinement.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

let worktree: TempWorktree;
afterEach(() => worktree.remove());

async function refusal(
  requested: string,
  options: ResolvePathOptions = { mustExist: false },
): Promise<string> {
  const error = await resolveWorktreePath(worktree.context, requested, options).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return (error as ToolError).message;
}

describe('resolveWorktreePath', () => {
  it('resolves relative and absolute paths inside the worktree', async () => {
    worktree = await createTempWorktree({ files: { 'src/a.ts': 'a' } });
    const relative = await resolveWorktreePath(worktree.context, 'src/a.ts', { mustExist: true });
    const absolute = await resolveWorktreePath(worktree.context, path.join(worktree.root, 'src/a.ts'), {
      mustExist: true,
    });
    expect(relative).toEqual({
      absolute: path.join(worktree.root, 'src/a.ts'),
      relative: 'src/a.ts',
      exists: true,
      parentExists: true,
    });
    expect(absolute).toEqual(relative);
    expect(await resolveWorktreePath(worktree.context, '.', { mustExist: true })).toMatchObject({
      relative: '.',
    });
  });

  it('allows a missing path when it need not exist, and counts nothing', async () => {
    worktree = await createTempWorktree();
    const resolved = await resolveWorktreePath(worktree.context, 'new/dir/file.txt', { mustExist: false });
    expect(resolved).toMatchObject({ relative: 'new/dir/file.txt', exists: false, parentExists: false });
    expect(await resolveWorktreePath(worktree.context, 'new-file.txt', { mustExist: false })).toMatchObject({
      exists: false,
      parentExists: true,
    });
    expect(worktree.context.counters.pathReferences).toBe(0);
  });

  it('counts a missing path that should exist as a hallucinated reference', async () => {
    worktree = await createTempWorktree({ files: { 'real.txt': 'x' } });
    await resolveWorktreePath(worktree.context, 'real.txt', { mustExist: true });
    expect(await refusal('imagined.txt', { mustExist: true })).toBe(
      'No such file or directory: imagined.txt',
    );
    expect(worktree.context.counters).toMatchObject({ pathReferences: 2, missingPathReferences: 1 });
  });

  it('refuses .. and absolute paths outside the worktree', async () => {
    worktree = await createTempWorktree();
    expect(await refusal('../outside.txt')).toContain('leads outside the worktree');
    expect(await refusal('src/../../outside.txt')).toContain('leads outside the worktree');
    expect(await refusal('/etc/passwd')).toContain('leads outside the worktree');
  });

  it('accepts names that merely start with two dots', async () => {
    worktree = await createTempWorktree({ files: { '..notes': 'x' } });
    expect(await resolveWorktreePath(worktree.context, '..notes', { mustExist: true })).toMatchObject({
      relative: '..notes',
    });
  });

  it('refuses symlinks that lead outside, whether to a file, a directory or nowhere', async () => {
    worktree = await createTempWorktree();
    const outside = await worktree.outsideDirectory();
    await symlink('/etc/passwd', path.join(worktree.root, 'passwd'));
    await symlink(outside, path.join(worktree.root, 'escape'));
    await symlink(path.join(outside, 'not-yet'), path.join(worktree.root, 'dangling'));
    expect(await refusal('passwd')).toContain('through a symbolic link');
    expect(await refusal('escape/new-file.txt')).toContain('through a symbolic link');
    expect(await refusal('dangling')).toContain('broken symbolic link');
  });

  it('follows symlinks that stay inside', async () => {
    worktree = await createTempWorktree({ files: { 'real/a.txt': 'a' } });
    await symlink('real', path.join(worktree.root, 'alias'));
    expect(await resolveWorktreePath(worktree.context, 'alias/a.txt', { mustExist: true })).toMatchObject({
      relative: 'real/a.txt',
    });
  });

  it('confines the same way when the caller gives the root already resolved', async () => {
    worktree = await createTempWorktree({ files: { 'real/a.txt': 'a' } });
    // the root reached through a link, as /tmp may be: the resolved root must still be the one compared
    const linked = `${worktree.root}-link`;
    await symlink(worktree.root, linked);
    try {
      const context = { ...worktree.context, worktreeRoot: linked, resolvedWorktreeRoot: worktree.root };
      expect(await resolveWorktreePath(context, 'real/a.txt', { mustExist: true })).toMatchObject({
        absolute: path.join(worktree.root, 'real/a.txt'),
        relative: 'real/a.txt',
      });
      expect(
        await resolveWorktreePath(context, path.join(linked, 'real/a.txt'), { mustExist: true }),
      ).toMatchObject({ relative: 'real/a.txt' });
      await expect(resolveWorktreePath(context, '../x', { mustExist: false })).rejects.toThrow(/outside/);
    } finally {
      await rm(linked);
    }
  });

  it('refuses writes into .git when the git directory is protected', async () => {
    worktree = await createTempWorktree({ git: true });
    expect(await refusal('.git/config', { mustExist: false, forWriting: true })).toContain('inside .git');
    expect(
      await resolveWorktreePath(worktree.context, '.gitignore', { mustExist: false, forWriting: true }),
    ).toMatchObject({
      relative: '.gitignore',
    });
  });
});

describe('isInside', () => {
  it('tells inside from outside', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/b/..c')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
  });
});
