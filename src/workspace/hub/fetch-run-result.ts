import { resolve } from 'node:path';
import { type Git, gitText } from '../git/run-git.ts';
import type { Hub } from './hub.ts';

/** Options of fetchRunResult. */
export interface FetchRunResultOptions {
  hub: Hub;
  userRepo: string;
  runId: string;
  git: Git;
  signal: AbortSignal;
}

/** The branch a run's result was fetched into. */
export interface RunResultBranch {
  branch: string;
  commit: string;
}

/**
 * Fetches the shared branch into the user's repository as `cadre/<run-id>`. Only a ref is
 * written: the user's working tree, index and current branch stay as they are. A second call for
 * the same run moves the branch forward; it refuses to rewind it.
 */
export async function fetchRunResult(options: FetchRunResultOptions): Promise<RunResultBranch> {
  const { hub, git, signal } = options;
  const userRepo = resolve(options.userRepo);
  const branch = `cadre/${options.runId}`;
  await git(
    [
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      hub.url,
      `refs/heads/${hub.branch}:refs/heads/${branch}`,
    ],
    { cwd: userRepo, signal },
  );
  const commit = await gitText(git, ['rev-parse', '--verify', `refs/heads/${branch}`], {
    cwd: userRepo,
    signal,
  });
  return { branch, commit };
}
