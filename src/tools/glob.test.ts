import { afterEach, describe, expect, it } from 'vitest';
import { createGlobTool } from './glob.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const glob = createGlobTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

const files = {
  'src/a.ts': '',
  'src/lib/b.ts': '',
  'src/c.js': '',
  'dist/out.ts': '',
  '.gitignore': 'dist/\n',
};

describe('glob', () => {
  it('finds files by pattern and skips what .gitignore ignores in a git repository', async () => {
    worktree = await createTempWorktree({ git: true, files });
    await worktree.write('src/untracked.ts', '');
    const outcome = await glob.execute({ pattern: '**/*.ts' }, worktree.context);
    expect(outcome).toMatchObject({ type: 'success', output: 'src/a.ts\nsrc/lib/b.ts\nsrc/untracked.ts' });
    expect(outcome.type === 'success' && outcome.details).toMatchObject({ source: 'git', matchCount: 3 });
  });

  it('walks a plain directory, skipping nothing but .git', async () => {
    worktree = await createTempWorktree({ files });
    const outcome = await glob.execute({ pattern: '*.ts' }, worktree.context);
    expect(outcome.output).toBe('dist/out.ts\nsrc/a.ts\nsrc/lib/b.ts');
  });

  it('searches below a directory, relative to it', async () => {
    worktree = await createTempWorktree({ git: true, files });
    expect((await glob.execute({ pattern: '*.ts', path: 'src/lib' }, worktree.context)).output).toBe('b.ts');
  });

  it('says when nothing matches and fails on a bad base', async () => {
    worktree = await createTempWorktree({ files });
    expect((await glob.execute({ pattern: '*.py' }, worktree.context)).output).toBe(
      'No files match *.py in ..',
    );
    expect((await glob.execute({ pattern: '*', path: 'src/a.ts' }, worktree.context)).output).toContain(
      'is a file',
    );
    expect((await glob.execute({ pattern: '*', path: 'lib' }, worktree.context)).output).toContain(
      'No such file',
    );
    expect((await glob.execute({ pattern: '*', path: '../' }, worktree.context)).output).toContain(
      'outside the worktree',
    );
  });
});
