import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A scratch directory with a user repository in it, for tests and benchmarks with real git. */
export interface TempRepo {
  /** The scratch directory; the repository is `userRepo`, anything else may go beside it. */
  directory: string;
  /** A non-bare repository with one commit, on branch `main`. */
  userRepo: string;
  /** Runs git synchronously in `cwd` (default the user repository) and returns stdout. */
  git(args: readonly string[], cwd?: string): string;
  /** Writes a file relative to `cwd` (default the user repository), creating directories. */
  write(path: string, content: string, cwd?: string): void;
  /** Stages everything and commits in `cwd` (default the user repository); returns the commit. */
  commit(message: string, cwd?: string): string;
  cleanup(): void;
}

/** Environment for the helper's own git calls: no user config, fixed identity. */
const environment = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'user@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'user@example.com',
};

/** Creates a scratch user repository holding `files` in its first commit; the one temp-repo helper. */
export function createTempRepo(files: Record<string, string> = { 'README.md': '# test\n' }): TempRepo {
  const directory = mkdtempSync(join(tmpdir(), 'cadre-workspace-'));
  const userRepo = join(directory, 'user');
  const git = (args: readonly string[], cwd = userRepo) =>
    execFileSync('git', args, { cwd, env: environment, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (path: string, content: string, cwd = userRepo) => {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), content);
  };
  const commit = (message: string, cwd = userRepo) => {
    git(['add', '--all'], cwd);
    git(['commit', '--quiet', '--no-verify', '-m', message], cwd);
    return git(['rev-parse', 'HEAD'], cwd).trim();
  };
  mkdirSync(userRepo);
  git(['init', '--quiet', '--initial-branch=main']);
  for (const [path, content] of Object.entries(files)) write(path, content);
  commit('initial commit');
  return {
    directory,
    userRepo,
    git,
    write,
    commit,
    cleanup: () => rmSync(directory, { recursive: true, force: true }),
  };
}
