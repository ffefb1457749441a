import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReadFileTool } from './read-file.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const readFile = createReadFileTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

describe('read_file', () => {
  it('prints numbered lines', async () => {
    worktree = await createTempWorktree({ files: { 'a.txt': 'one\ntwo\nthree\n' } });
    const outcome = await readFile.execute({ path: 'a.txt' }, worktree.context);
    expect(outcome).toMatchObject({ type: 'success', output: '1\tone\n2\ttwo\n3\tthree' });
  });

  it('prints a line range and says what is left', async () => {
    const lines = Array.from({ length: 12 }, (_, index) => `line ${index + 1}`).join('\n');
    worktree = await createTempWorktree({ files: { 'a.txt': lines } });
    const outcome = await readFile.execute({ path: 'a.txt', startLine: 9, endLine: 10 }, worktree.context);
    expect(outcome.output).toBe(
      ' 9\tline 9\n10\tline 10\n(showing lines 9-10 of 12; use startLine to read on)',
    );
  });

  it('says so for an empty file', async () => {
    worktree = await createTempWorktree({ files: { 'empty.txt': '' } });
    expect((await readFile.execute({ path: 'empty.txt' }, worktree.context)).output).toBe(
      '(empty.txt is empty)',
    );
  });

  it('fails clearly on a missing file and counts the hallucinated reference', async () => {
    worktree = await createTempWorktree();
    const outcome = await readFile.execute({ path: 'nope.ts' }, worktree.context);
    expect(outcome).toMatchObject({
      type: 'tool-error',
      output: 'Error: No such file or directory: nope.ts',
    });
    expect(worktree.context.counters.missingPathReferences).toBe(1);
  });

  it('fails on a directory, a binary file, a start past the end and a reversed range', async () => {
    worktree = await createTempWorktree({ files: { 'dir/a.txt': 'a\n', 'blob.bin': 'ab\0cd' } });
    const run = async (input: object) => (await readFile.execute(input, worktree.context)).output;
    expect(await run({ path: 'dir' })).toContain('is a directory; use list_dir');
    expect(await run({ path: 'blob.bin' })).toContain('binary file');
    expect(await run({ path: 'dir/a.txt', startLine: 5 })).toContain('has only 1 lines');
    expect(await run({ path: 'dir/a.txt', startLine: 3, endLine: 2 })).toContain(
      'endLine (2) is before startLine (3)',
    );
  });

  it('refuses paths outside the worktree', async () => {
    worktree = await createTempWorktree();
    await symlink('/etc/hostname', path.join(worktree.root, 'host'));
    expect((await readFile.execute({ path: '../x' }, worktree.context)).output).toContain(
      'leads outside the worktree',
    );
    expect((await readFile.execute({ path: '/etc/hostname' }, worktree.context)).output).toContain(
      'leads outside the worktree',
    );
    expect((await readFile.execute({ path: 'host' }, worktree.context)).output).toContain(
      'through a symbolic link',
    );
  });

  it('rejects bad input', async () => {
    worktree = await createTempWorktree();
    expect((await readFile.execute({ path: 'a', startLine: 0 }, worktree.context)).type).toBe(
      'invalid-input',
    );
  });
});
