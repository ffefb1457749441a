import { gitText } from '../git/run-git.ts';
import { parseMergeTree } from './conflict-report.ts';
import type { AttemptResult, LanderContext, LandingState } from './landing-state.ts';
import type { PreparedChange } from './prepare-change.ts';

/** The change rebased onto the tip as a new commit, or why there is none. */
export type RebaseResult =
  | Extract<AttemptResult, { type: 'conflicted' | 'already-on-branch' }>
  | { type: 'candidate'; commit: string };

/**
 * Rebases the task's single commit onto the tip with `git merge-tree`: a three-way merge that touches no
 * files, so a lander killed mid-rebase leaves no rebase half-done.
 */
export async function rebaseOntoTip(
  landing: LandingState,
  change: Extract<PreparedChange, { type: 'prepared' }>,
  tip: string,
): Promise<RebaseResult> {
  if (tip === change.base) return { type: 'candidate', commit: change.commit };
  const { git } = landing.lander.options;
  const { cwd } = landing;
  const { signal } = landing.request;
  const merge = await git(
    ['-c', 'merge.conflictStyle=diff3', 'merge-tree', '--write-tree', '-z', tip, change.commit],
    { cwd, signal, acceptExitCodes: [1] },
  );
  const parsed = parseMergeTree(merge.stdout);
  if (merge.exitCode === 1) return { type: 'conflicted', tip, merge: parsed, base: change.base };
  // checked after the rebase, not before: a change made on an older base may be on the tip already
  const tipTree =
    landing.lander.treesOfCommits.get(tip) ??
    (await gitText(git, ['rev-parse', `${tip}^{tree}`], { cwd, signal }));
  if (parsed.tree === tipTree) return { type: 'already-on-branch', tip };
  const commit = await gitText(git, ['commit-tree', parsed.tree, '-p', tip, '-F', '-'], {
    cwd,
    signal,
    input: landing.message,
  });
  rememberTree(landing.lander, commit, parsed.tree);
  return { type: 'candidate', commit };
}

/** Keeps the tree of a commit this lander made, forgetting the oldest past 256. */
function rememberTree(lander: LanderContext, commit: string, tree: string): void {
  const trees = lander.treesOfCommits;
  trees.set(commit, tree);
  if (trees.size > 256) trees.delete(trees.keys().next().value as string);
}
