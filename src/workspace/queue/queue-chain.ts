import type { QueueEntry } from '../../protocol/index.ts';
import { type Git, GitError, gitText } from '../git/run-git.ts';
import { parseMergeTree } from '../landing/conflict-report.ts';

/** One queued change applied onto the link before it (or onto the tip): the commit the branch would hold. */
export interface ChainLink {
  entry: QueueEntry;
  commit: string;
  tree: string;
}

/** What applying one entry onto the end of the chain did. */
export type ApplyResult =
  | { type: 'applied'; link: ChainLink }
  /** Conflicts with the branch tip itself: the worker must resolve it. */
  | { type: 'conflict'; files: string[] }
  /** Conflicts only with changes queued before it: it waits until they land, then is applied again. */
  | { type: 'deferred'; files: string[] }
  /** Changes nothing on top of the chain: the branch (or an earlier entry) holds it already. */
  | { type: 'already-on-branch' };

/** Options of applyEntry. */
export interface ApplyEntryRequest {
  git: Git;
  /** The queue's clone, where chain commits are written (no files are touched). */
  cwd: string;
  /** The commit and tree the entry is applied onto: the last link, or the tip. */
  onto: { commit: string; tree: string };
  /** The branch tip the chain starts from. */
  tip: string;
  entry: QueueEntry;
  /** Commit messages of entries read before, by entry id: an entry is applied again after every rebuild. */
  messages: Map<string, string>;
  signal: AbortSignal;
}

/**
 * Applies a queued change onto the chain with `git merge-tree` (a three-way merge with the change's
 * own base, so nothing is checked out and a killed queue leaves nothing half-applied), and writes the
 * result as a commit carrying the change's own message and trailers.
 */
export async function applyEntry(request: ApplyEntryRequest): Promise<ApplyResult> {
  const { git, cwd, signal, entry, onto } = request;
  const merged = await mergeOnto(git, cwd, onto.commit, entry.commit, signal).catch(
    async (error: unknown) => {
      // the commit is not in the queue's clone (a worker of a remote hub pushed it): fetch it, once
      if (!(error instanceof GitError) || (await hasCommit(request))) throw error;
      await git(['fetch', '--quiet', '--no-tags', 'origin', `+${entry.ref}:${entry.ref}`], { cwd, signal });
      return mergeOnto(git, cwd, onto.commit, entry.commit, signal);
    },
  );
  if (merged.type === 'conflict') {
    if (onto.commit === request.tip) return merged;
    const onTip = await mergeOnto(git, cwd, request.tip, entry.commit, signal);
    return onTip.type === 'conflict' ? onTip : { type: 'deferred', files: merged.files };
  }
  if (merged.tree === onto.tree) return { type: 'already-on-branch' };
  const message =
    request.messages.get(entry.id) ??
    (await gitText(git, ['log', '-1', '--format=%B', entry.commit], { cwd, signal }));
  request.messages.set(entry.id, message);
  const commit = await gitText(git, ['commit-tree', merged.tree, '-p', onto.commit, '-F', '-'], {
    cwd,
    signal,
    input: `${message.trimEnd()}\n`,
  });
  return { type: 'applied', link: { entry, commit, tree: merged.tree } };
}

/** The tree of a commit. */
export function treeOf(git: Git, cwd: string, commit: string, signal: AbortSignal): Promise<string> {
  return gitText(git, ['rev-parse', `${commit}^{tree}`], { cwd, signal });
}

async function mergeOnto(
  git: Git,
  cwd: string,
  onto: string,
  change: string,
  signal: AbortSignal,
): Promise<{ type: 'merged'; tree: string } | { type: 'conflict'; files: string[] }> {
  const result = await git(['merge-tree', '--write-tree', '-z', onto, change], {
    cwd,
    signal,
    acceptExitCodes: [1],
  });
  const parsed = parseMergeTree(result.stdout);
  if (result.exitCode === 1) return { type: 'conflict', files: parsed.conflicts.map((file) => file.path) };
  return { type: 'merged', tree: parsed.tree };
}

/** Whether the entry's commit is in the queue's clone. */
async function hasCommit(request: ApplyEntryRequest): Promise<boolean> {
  const { git, cwd, signal, entry } = request;
  const present = await git(['cat-file', '-e', `${entry.commit}^{commit}`], {
    cwd,
    signal,
    acceptExitCodes: [1, 128],
  });
  return present.exitCode === 0;
}
