import type { Git } from '../git/run-git.ts';

/** What a push did. */
export type PushResult =
  | { type: 'pushed' }
  /** Someone else moved the branch first (or held its lock): fetch, rebase and try again. */
  | { type: 'raced'; reason: string }
  /** The hub refused for another reason; trying again would not help. */
  | { type: 'refused'; reason: string };

/** Options of pushChange. */
export interface PushChangeRequest {
  git: Git;
  cwd: string;
  commit: string;
  branch: string;
  signal: AbortSignal;
}

const raceReasons = [
  'fetch first',
  'non-fast-forward',
  'stale info',
  'failed to lock',
  'cannot lock',
  'incorrect old value',
];

/**
 * Pushes one commit to the shared branch, fast-forward only, and classifies the result from
 * `--porcelain` output. `--no-verify` skips the worktree's pre-push hook; the hub's own hooks
 * still run, as they would for any push.
 */
export async function pushChange(request: PushChangeRequest): Promise<PushResult> {
  const { git, cwd, signal } = request;
  const destination = `refs/heads/${request.branch}`;
  const result = await git(
    ['push', '--porcelain', '--no-verify', 'origin', `${request.commit}:${destination}`],
    {
      cwd,
      signal,
      acceptExitCodes: [1],
    },
  );
  const line = result.stdout
    .split('\n')
    .find((entry) => entry.includes(`\t${request.commit}:${destination}\t`));
  if (result.exitCode === 0 && line?.[0] !== '!') return { type: 'pushed' };
  const reason = (line?.split('\t')[2] ?? result.stderr.trim()) || `git push exited with ${result.exitCode}`;
  const raced = raceReasons.some((text) => reason.includes(text) || result.stderr.includes(text));
  return raced ? { type: 'raced', reason } : { type: 'refused', reason };
}
