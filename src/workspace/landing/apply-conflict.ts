import type { Git } from '../git/run-git.ts';

/** Options of leaveConflictInWorktree. */
export interface LeaveConflictRequest {
  git: Git;
  cwd: string;
  /** The branch tip the change did not rebase onto. */
  tip: string;
  /** The tree `git merge-tree` wrote: clean merges applied, conflict markers in the rest. */
  mergedTree: string;
  signal: AbortSignal;
}

/**
 * Moves the worktree onto the branch tip with the task's change re-applied as uncommitted edits,
 * conflicting regions marked `<<<<<<<`/`|||||||`/`=======`/`>>>>>>>`. No rebase or merge is left in
 * progress and the index is clean (it matches the tip), so the worker edits plain files, resolves
 * the markers and calls land again; the next landing is then based on this tip.
 */
export async function leaveConflictInWorktree(request: LeaveConflictRequest): Promise<void> {
  const { git, cwd, signal } = request;
  // index and files become the merged tree (files the merge removed are deleted)...
  await git(['read-tree', '-u', '--reset', request.mergedTree], { cwd, signal });
  // ...then the branch and index move to the tip, leaving the files as they are
  await git(['reset', '--quiet', '--mixed', request.tip], { cwd, signal });
}
