import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGrepTool } from './grep.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const grep = createGrepTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

const files = {
  'src/a.ts': 'const alpha = 1;\nconst beta = 2;\n',
  'src/b.js': 'let ALPHA = 3;\n',
  'build/gen.ts': 'const alpha = 4;\n',
  'blob.bin': 'alpha\0',
  '.gitignore': 'build/\n',
};

describe('grep', () => {
  it('prints matching lines and skips ignored and binary files', async () => {
    worktree = await createTempWorktree({ git: true, files });
    const outcome = await grep.execute({ pattern: 'alpha\\s*=' }, worktree.context);
    expect(outcome).toMatchObject({ type: 'success', output: 'src/a.ts:1:const alpha = 1;' });
  });

  it('filters by glob, ignores case and searches one file or directory', async () => {
    worktree = await createTempWorktree({ git: true, files });
    const run = async (input: object) => (await grep.execute(input, worktree.context)).output;
    expect(await run({ pattern: 'alpha', ignoreCase: true, glob: '*.js' })).toBe('src/b.js:1:let ALPHA = 3;');
    expect(await run({ pattern: 'beta', path: 'src/a.ts' })).toBe('src/a.ts:2:const beta = 2;');
    expect(await run({ pattern: 'const', path: 'src' })).toBe(
      'src/a.ts:1:const alpha = 1;\nsrc/a.ts:2:const beta = 2;',
    );
  });

  it('searches everything but .git outside a git repository', async () => {
    worktree = await createTempWorktree({ files });
    expect((await grep.execute({ pattern: 'alpha =' }, worktree.context)).output).toBe(
      'build/gen.ts:1:const alpha = 4;\nsrc/a.ts:1:const alpha = 1;',
    );
  });

  it('stops at maxMatches and says so', async () => {
    worktree = await createTempWorktree({ files });
    const outcome = await grep.execute({ pattern: 'const', maxMatches: 1 }, worktree.context);
    expect(outcome.output).toBe('build/gen.ts:1:const alpha = 4;\n(stopped at 1 matches; narrow the search)');
  });

  it('does not read through a symlink that leads outside', async () => {
    worktree = await createTempWorktree({ files });
    const outside = await worktree.outsideDirectory();
    await writeFile(path.join(outside, 'secret.txt'), 'alpha secret');
    await symlink(path.join(outside, 'secret.txt'), path.join(worktree.root, 'secret-link'));
    expect((await grep.execute({ pattern: 'secret' }, worktree.context)).output).toContain('No matches');
  });

  it('fails on a bad regex, a missing path and an escape', async () => {
    worktree = await createTempWorktree({ files });
    const run = async (input: object) => (await grep.execute(input, worktree.context)).output;
    expect(await run({ pattern: '(' })).toContain('Invalid regular expression /(/');
    expect(await run({ pattern: 'a', path: 'lib' })).toContain('No such file or directory: lib');
    expect(await run({ pattern: 'a', path: '/etc' })).toContain('outside the worktree');
  });
});
