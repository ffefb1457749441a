import type { Git } from '../git/run-git.ts';
import { parseTaskTrailers, type TaskTrailers, trailerFormat } from './task-trailers.ts';

/** A commit on the branch whose trailers name the task. */
export interface TaskCommit {
  commit: string;
  trailers: TaskTrailers;
}

/** Options of findTaskCommit. */
export interface FindTaskCommitRequest {
  git: Git;
  cwd: string;
  taskId: string;
  /** Revision arguments for `git log`, such as `[tip, '^' + alreadyScanned]`. */
  range: readonly string[];
  signal: AbortSignal;
}

/**
 * Looks for a commit carrying `Cadre-Task: <taskId>` as a trailer. `--grep` narrows the walk to
 * commits mentioning the id anywhere; the trailers are then parsed so that a message merely
 * quoting the id in its body does not count.
 */
export async function findTaskCommit(request: FindTaskCommitRequest): Promise<TaskCommit | null> {
  const { stdout } = await request.git(
    [
      'log',
      '--fixed-strings',
      `--grep=${request.taskId}`,
      `--format=%H%x1f${trailerFormat}%x1e`,
      ...request.range,
      '--',
    ],
    { cwd: request.cwd, signal: request.signal },
  );
  for (const record of stdout.split('\x1e')) {
    const [commit = '', trailers = ''] = record.trim().split('\x1f');
    const parsed = parseTaskTrailers(trailers);
    if (parsed && parsed.taskId === request.taskId) return { commit, trailers: parsed };
  }
  return null;
}
