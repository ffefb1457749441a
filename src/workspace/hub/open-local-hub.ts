import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Git, gitText } from '../git/run-git.ts';
import type { Hub } from './hub.ts';

/** Options of openLocalHub. */
export interface LocalHubOptions {
  /** The user's repository; only read, never its working tree, index or branches. */
  userRepo: string;
  git: Git;
  signal: AbortSignal;
  /** Where the bare hub lives; default `<userRepo>/.cadre/hub.git`. */
  path?: string;
  /** The revision of the user's repository the branch starts from; default HEAD. */
  seed?: string;
  /** The shared branch in the hub; default `main`. */
  branch?: string;
}

/** Settings of the hub's receive-pack: history only moves forward, and the branch is never deleted. */
const hubSettings: [string, string][] = [
  ['receive.denyNonFastForwards', 'true'],
  ['receive.denyDeletes', 'true'],
  ['core.logAllRefUpdates', 'true'],
];

/**
 * Opens the bare hub of a local run, creating and seeding it on first use. A second open (a
 * resumed run, another process) reuses it. Creation happens in a scratch directory renamed into
 * place, so two processes racing to create it end up sharing one hub.
 */
export async function openLocalHub(options: LocalHubOptions): Promise<Hub> {
  const { git, signal } = options;
  const userRepo = resolve(options.userRepo);
  const path = resolve(options.path ?? join(userRepo, '.cadre', 'hub.git'));
  const branch = options.branch ?? 'main';
  if (!existsSync(join(path, 'HEAD'))) await createHub({ ...options, userRepo, path, branch });
  const seed = await git(['config', '--get', 'cadre.seed'], { cwd: path, signal, acceptExitCodes: [1] });
  const seedCommit = seed.exitCode === 0 ? seed.stdout.trim() : null;
  const hub: Hub = {
    location: { type: 'local', path },
    url: path,
    branch,
    objectSource: path,
    seedCommit,
    refresh: async () => {},
    tip: (tipSignal) =>
      gitText(git, ['rev-parse', '--verify', `refs/heads/${branch}`], { cwd: path, signal: tipSignal }),
  };
  await hub.tip(signal);
  return hub;
}

async function createHub(options: LocalHubOptions & { userRepo: string; path: string; branch: string }) {
  const { git, signal, userRepo, path, branch } = options;
  const seedCommit = await gitText(git, ['rev-parse', '--verify', `${options.seed ?? 'HEAD'}^{commit}`], {
    cwd: userRepo,
    signal,
  });
  await mkdir(dirname(path), { recursive: true });
  await ignoreCadreDirectory(userRepo, path);
  const scratch = `${path}.creating-${randomBytes(6).toString('hex')}`;
  try {
    await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, scratch], {
      cwd: userRepo,
      signal,
    });
    for (const [key, value] of [...hubSettings, ['cadre.seed', seedCommit] as [string, string]]) {
      await git(['config', key, value], { cwd: scratch, signal });
    }
    // a push reads the user's objects and writes only into the hub; --no-verify skips the user's pre-push hook
    await git(['push', '--quiet', '--no-verify', scratch, `${seedCommit}:refs/heads/${branch}`], {
      cwd: userRepo,
      signal,
    });
    await rename(scratch, path).catch((error: NodeJS.ErrnoException) => {
      // another process created the hub first: use theirs
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function ignoreCadreDirectory(userRepo: string, hubPath: string) {
  const cadreDirectory = join(userRepo, '.cadre');
  if (hubPath.startsWith(`${cadreDirectory}/`)) await writeCadreGitignore(cadreDirectory);
}

/**
 * A `.gitignore` of `*` inside `.cadre/` hides the directory from the user's `git status` without
 * touching anything the user owns (their `.gitignore`, `.git/info/exclude`). An existing one is kept.
 */
export async function writeCadreGitignore(cadreDirectory: string): Promise<void> {
  await writeFile(join(cadreDirectory, '.gitignore'), '# written by cadre: keep run state out of git\n*\n', {
    flag: 'wx',
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}
