import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A host file the sandbox must neither show nor change. */
export interface CanaryFile {
  path: string;
  content: string;
}

/**
 * The fixture's files, laid out as cadre lays out a run: a user checkout (a git repository) holding
 * uncommitted secrets and `.cadre/` (board, worktrees), another agent's worktree, a stand-in for the
 * user's home with `.ssh/id_ed25519`, and a file directly in the host's temp directory.
 */
export interface HostFiles {
  /** The suite's own temp directory; nothing may appear in it but the probes' worktrees. */
  base: string;
  checkout: string;
  /** `<checkout>/.cadre/worktrees`, where each probe run gets its own clone. */
  worktreesDirectory: string;
  otherWorktree: string;
  /** Stands for the user's home directory: `.ssh/id_ed25519` lives under it. */
  fakeHome: string;
  /** A file directly in the host's temp directory. */
  hostTmpCanary: string;
  canaries: CanaryFile[];
  /** Clones the checkout (`git clone --shared`, as cadre does) into `<worktreesDirectory>/<name>`; its real path. */
  createWorktree(name: string): Promise<string>;
  remove(): Promise<void>;
}

// Deterministic git for the fixture: no user config, fixed identity.
const gitEnvironment = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Red Team',
  GIT_AUTHOR_EMAIL: 'red-team@example.com',
  GIT_COMMITTER_NAME: 'Red Team',
  GIT_COMMITTER_EMAIL: 'red-team@example.com',
};

/** Writes the fixture's files; `secretOf(kind)` makes each canary's unique content. */
export async function createHostFiles(
  marker: string,
  secretOf: (kind: string) => string,
): Promise<HostFiles> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'cadre-red-team-')));
  const checkout = path.join(base, 'user-checkout');
  const worktreesDirectory = path.join(checkout, '.cadre', 'worktrees');
  const otherWorktree = path.join(worktreesDirectory, 'agent-other');
  const fakeHome = path.join(base, 'home');
  const hostTmpCanary = path.join(tmpdir(), `cadre-red-team-${marker}-host-canary.txt`);
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: checkout, env: gitEnvironment });

  await mkdir(checkout, { recursive: true });
  await writeFile(path.join(checkout, 'README.md'), '# the user project\n');
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '--all');
  await git('commit', '--quiet', '--message', 'initial');
  // Written after the commit: a worktree's borrowed object store must not hold them.
  const canaries: CanaryFile[] = [
    { path: path.join(checkout, 'secret.txt'), content: `${secretOf('checkout')}\n` },
    { path: path.join(checkout, 'cadre.config.json'), content: `{ "apiKey": "${secretOf('config')}" }\n` },
    { path: path.join(checkout, '.cadre', 'board.db'), content: `SQLite format 3 ${secretOf('board')}\n` },
    { path: path.join(otherWorktree, 'secret.txt'), content: `${secretOf('other-worktree')}\n` },
    { path: path.join(fakeHome, '.ssh', 'id_ed25519'), content: `${secretOf('ssh-key')}\n` },
    { path: hostTmpCanary, content: `${secretOf('host-tmp')}\n` },
  ];
  for (const canary of canaries) {
    await mkdir(path.dirname(canary.path), { recursive: true });
    await writeFile(canary.path, canary.content, { mode: 0o600 });
  }
  return {
    base,
    checkout,
    worktreesDirectory,
    otherWorktree,
    fakeHome,
    hostTmpCanary,
    canaries,
    async createWorktree(name) {
      const worktree = path.join(worktreesDirectory, name);
      await git('clone', '--quiet', '--shared', checkout, worktree);
      return realpath(worktree);
    },
    async remove() {
      await rm(base, { recursive: true, force: true });
      await rm(hostTmpCanary, { force: true });
    },
  };
}
