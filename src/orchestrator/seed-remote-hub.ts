import { isAbsolute, resolve } from 'node:path';
import type { Git } from '../workspace/index.ts';

/** Options of seedRemoteHub. */
export interface SeedRemoteHubOptions {
  /** The `--hub` value: any git URL, or a path to a (bare) repository. */
  hub: string;
  /** The user's repository, whose HEAD seeds an empty remote. */
  repo: string;
  branch: string;
  git: Git;
  /** Resolves a relative path given as the hub. */
  cwd: string;
  signal: AbortSignal;
}

/** True for a value git reads as a URL (`scheme://…` or scp-like `host:path`) rather than a local path. */
function isGitUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^/:]+@?[^/:]*:/.test(value);
}

/**
 * Makes a git remote ready to be a run's hub and returns the URL to store in the run's config: a
 * local path becomes absolute (workers on this machine find it from any directory), and a remote
 * without the shared branch gets the user's HEAD pushed as its start.
 */
export async function seedRemoteHub(options: SeedRemoteHubOptions): Promise<string> {
  const { git, signal, branch } = options;
  const url =
    isGitUrl(options.hub) || isAbsolute(options.hub) ? options.hub : resolve(options.cwd, options.hub);
  const listed = await git(['ls-remote', '--exit-code', url, `refs/heads/${branch}`], {
    cwd: options.repo,
    signal,
    acceptExitCodes: [2],
  });
  if (listed.exitCode === 2) {
    await git(['push', '--quiet', url, `HEAD:refs/heads/${branch}`], { cwd: options.repo, signal });
  }
  return url;
}
