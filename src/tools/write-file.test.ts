import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';
import { createWriteFileTool } from './write-file.ts';

const writeFile = createWriteFileTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

describe('write_file', () => {
  it('creates a file and its directories, then overwrites it', async () => {
    worktree = await createTempWorktree();
    const created = await writeFile.execute({ path: 'deep/dir/a.txt', content: 'hello' }, worktree.context);
    expect(created).toMatchObject({ type: 'success', output: 'Created deep/dir/a.txt (5 bytes).' });
    const overwritten = await writeFile.execute({ path: 'deep/dir/a.txt', content: 'bye' }, worktree.context);
    expect(overwritten.output).toBe('Overwrote deep/dir/a.txt (3 bytes).');
    expect(await worktree.read('deep/dir/a.txt')).toBe('bye');
  });

  it('refuses to write outside the worktree, through a link, or into .git', async () => {
    worktree = await createTempWorktree({ git: true });
    const outside = await worktree.outsideDirectory();
    await symlink(outside, path.join(worktree.root, 'escape'));
    const run = async (target: string) =>
      (await writeFile.execute({ path: target, content: 'x' }, worktree.context)).output;
    expect(await run('../evil.txt')).toContain('leads outside the worktree');
    expect(await run(path.join(outside, 'evil.txt'))).toContain('leads outside the worktree');
    expect(await run('escape/evil.txt')).toContain('through a symbolic link');
    expect(await run('.git/hooks/pre-commit')).toContain('inside .git');
  });

  it('fails when the target is a directory', async () => {
    worktree = await createTempWorktree({ files: { 'dir/a.txt': 'a' } });
    expect(await writeFile.execute({ path: 'dir', content: 'x' }, worktree.context)).toMatchObject({
      type: 'tool-error',
    });
  });
});
