import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Git, gitText } from '../git/run-git.ts';

/** The task's change as one commit on the base it was made on. */
export type PreparedChange =
  | { type: 'prepared'; commit: string; base: string; tree: string; files: string[] }
  | { type: 'empty'; base: string }
  | { type: 'unresolved-conflict'; files: string[] };

/** Options of prepareChange. */
export interface PrepareChangeRequest {
  git: Git;
  cwd: string;
  branch: string;
  message: string;
  signal: AbortSignal;
}

/**
 * Squashes everything the worker did (commits of its own and uncommitted edits, new and deleted
 * files) into one commit on the branch tip it last saw, so every task lands as exactly one commit
 * carrying its trailers. Files still holding conflict markers are refused.
 */
export async function prepareChange(request: PrepareChangeRequest): Promise<PreparedChange> {
  const { git, cwd, signal } = request;
  await git(['add', '--all'], { cwd, signal });
  const base = await gitText(git, ['merge-base', 'HEAD', `refs/remotes/origin/${request.branch}`], {
    cwd,
    signal,
  });
  const check = await git(['diff', '--cached', '--check', base], { cwd, signal, acceptExitCodes: [1, 2] });
  const marked = await filesWithConflictMarkers(check.stdout, cwd);
  if (marked.length > 0) return { type: 'unresolved-conflict', files: marked };
  const tree = await gitText(git, ['write-tree'], { cwd, signal });
  const files = (await gitText(git, ['diff', '--cached', '--name-only', '-z', base], { cwd, signal }))
    .split('\0')
    .filter((file) => file.length > 0);
  if (files.length === 0) return { type: 'empty', base };
  const commit = await gitText(git, ['commit-tree', tree, '-p', base, '-F', '-'], {
    cwd,
    signal,
    input: request.message,
  });
  await git(['update-ref', '-m', 'cadre: squash the task change', 'HEAD', commit], { cwd, signal });
  return { type: 'prepared', commit, base, tree, files };
}

/**
 * Files `git diff --check` flags for leftover markers that really hold a conflict: an opening and a
 * closing marker, not just a `=======` line, which is also how Markdown underlines a heading.
 */
async function filesWithConflictMarkers(checkOutput: string, cwd: string): Promise<string[]> {
  const flagged = new Set<string>();
  for (const match of checkOutput.matchAll(/^(.+?):\d+: leftover conflict marker$/gm))
    flagged.add(match[1] as string);
  const marked: string[] = [];
  for (const file of flagged) {
    const text = await readFile(join(cwd, file), 'utf8').catch(() => '');
    if (/^<{7}( |$)/m.test(text) && /^>{7}( |$)/m.test(text)) marked.push(file);
  }
  return marked.sort();
}
