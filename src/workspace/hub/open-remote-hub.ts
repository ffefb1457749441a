import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Git, gitText } from '../git/run-git.ts';
import type { Hub } from './hub.ts';

/** Options of openRemoteHub. */
export interface RemoteHubOptions {
  /** Any git URL the machine can fetch from and push to. */
  url: string;
  /** A local bare repository kept as a cache of the remote's objects, created when missing. */
  cachePath: string;
  git: Git;
  signal: AbortSignal;
  /** The shared branch on the remote; default `main`. */
  branch?: string;
}

/**
 * Opens a hub that is a git remote (multi-machine runs). Worktrees clone from a local cache with
 * shared objects, so a new worktree costs one small fetch from the remote instead of a full clone.
 */
export async function openRemoteHub(options: RemoteHubOptions): Promise<Hub> {
  const { git, url } = options;
  const cachePath = resolve(options.cachePath);
  const branch = options.branch ?? 'main';
  if (!existsSync(join(cachePath, 'HEAD'))) {
    await mkdir(dirname(cachePath), { recursive: true });
    await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, cachePath], {
      cwd: dirname(cachePath),
      signal: options.signal,
    });
  }
  // many workers starting at once share one fetch of the cache instead of queueing on its ref lock
  let inFlight: Promise<void> | null = null;
  const refresh = (signal: AbortSignal) => {
    inFlight ??= git(['fetch', '--quiet', '--no-tags', url, `+refs/heads/${branch}:refs/heads/${branch}`], {
      cwd: cachePath,
      signal,
    })
      .then(() => undefined)
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  await refresh(options.signal);
  return {
    location: { type: 'remote', url, cachePath },
    url,
    branch,
    objectSource: cachePath,
    seedCommit: null,
    refresh,
    tip: async (signal) => {
      const line = await gitText(git, ['ls-remote', '--exit-code', url, `refs/heads/${branch}`], {
        cwd: cachePath,
        signal,
      });
      return line.split('\t')[0] ?? '';
    },
  };
}
