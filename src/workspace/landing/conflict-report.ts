import { type Git, gitText } from '../git/run-git.ts';
import { parseTaskTrailers, trailerFormat } from './task-trailers.ts';

/** One conflicting region of a file, with the text of each side. */
export interface ConflictHunk {
  /** Line of the `<<<<<<<` marker in the file as left in the worktree (1-based). */
  line: number;
  /** The shared branch's version of the region. */
  branch: string;
  /** The common ancestor's version, when git could tell. */
  base: string | null;
  /** The task's version of the region. */
  task: string;
}

/** A commit on the shared branch that changed a conflicting file since the task's base. */
export interface ConflictCommit {
  commit: string;
  subject: string;
  taskId: string | null;
  agentId: string | null;
}

/** One file that did not merge. */
export interface ConflictFile {
  path: string;
  /** Git's name for the conflict: `contents`, `modify/delete`, `add/add`, `binary`… */
  conflict: string;
  /** Git's own explanation. */
  message: string;
  hunks: ConflictHunk[];
  commits: ConflictCommit[];
}

/** Why a landing stopped: the task's change and the branch changed the same lines. */
export interface ConflictReport {
  type: 'conflict';
  /** The branch tip the task could not be rebased onto; the worktree now sits on it. */
  tip: string;
  /** The commit the task's change was based on. */
  base: string;
  files: ConflictFile[];
}

/** The parts of `git merge-tree --write-tree -z` output a report needs. */
export interface MergeTreeOutput {
  tree: string;
  conflicts: { path: string; conflict: string; message: string }[];
}

/** Parses `git merge-tree --write-tree -z` output (tree, conflicted entries, then messages). */
export function parseMergeTree(stdout: string): MergeTreeOutput {
  const fields = stdout.split('\0');
  const tree = fields[0] ?? '';
  let index = 1;
  while (index < fields.length && fields[index] !== '') index++;
  index++;
  const conflicts: MergeTreeOutput['conflicts'] = [];
  while (index < fields.length) {
    const count = Number(fields[index]);
    if (!Number.isInteger(count) || count < 1) break;
    const paths = fields.slice(index + 1, index + 1 + count);
    const type = fields[index + 1 + count] ?? '';
    const message = (fields[index + 2 + count] ?? '').trim();
    index += 3 + count;
    if (!type.startsWith('CONFLICT')) continue;
    const conflict = /\(([^)]*)\)/.exec(type)?.[1] ?? 'unknown';
    for (const path of paths) {
      if (!conflicts.some((entry) => entry.path === path)) conflicts.push({ path, conflict, message });
    }
  }
  return { tree, conflicts };
}

/** Finds `<<<<<<<` / `|||||||` / `=======` / `>>>>>>>` regions (diff3 style) in merged text. */
export function parseConflictHunks(text: string): ConflictHunk[] {
  const hunks: ConflictHunk[] = [];
  const lines = text.split('\n');
  let current: { line: number; branch: string[]; base: string[] | null; task: string[] } | null = null;
  let side: 'branch' | 'base' | 'task' = 'branch';
  lines.forEach((line, index) => {
    if (current === null) {
      if (line.startsWith('<<<<<<<')) {
        current = { line: index + 1, branch: [], base: null, task: [] };
        side = 'branch';
      }
      return;
    }
    if (line.startsWith('|||||||') && side === 'branch') {
      current.base = [];
      side = 'base';
    } else if (line === '=======' && side !== 'task') {
      side = 'task';
    } else if (line.startsWith('>>>>>>>') && side === 'task') {
      const join = (part: string[]) => (part.length === 0 ? '' : `${part.join('\n')}\n`);
      hunks.push({
        line: current.line,
        branch: join(current.branch),
        base: current.base && join(current.base),
        task: join(current.task),
      });
      current = null;
    } else if (side === 'base') current.base?.push(line);
    else current[side].push(line);
  });
  return hunks;
}

/** Options of buildConflictReport. */
export interface ConflictReportRequest {
  git: Git;
  cwd: string;
  signal: AbortSignal;
  merge: MergeTreeOutput;
  base: string;
  tip: string;
  /** Files reported in full; the rest are named only. */
  maxFiles?: number;
}

/** Reads the hunks of each conflicting file from the merged tree and the commits that touched it. */
export async function buildConflictReport(request: ConflictReportRequest): Promise<ConflictReport> {
  const { git, cwd, signal, merge, base, tip } = request;
  const files: ConflictFile[] = [];
  for (const [index, entry] of merge.conflicts.entries()) {
    if (index >= (request.maxFiles ?? 50)) {
      files.push({ ...entry, hunks: [], commits: [] });
      continue;
    }
    const blob = await git(['cat-file', 'blob', `${merge.tree}:${entry.path}`], {
      cwd,
      signal,
      acceptExitCodes: [128],
    });
    const hunks = blob.exitCode === 0 ? parseConflictHunks(blob.stdout) : [];
    const log = await gitText(
      git,
      ['log', `--format=%H%x1f%s%x1f${trailerFormat}%x1e`, `${base}..${tip}`, '--', entry.path],
      { cwd, signal },
    );
    const commits = log
      .split('\x1e')
      .map((record) => record.trim())
      .filter((record) => record.length > 0)
      .map((record): ConflictCommit => {
        const [commit = '', subject = '', trailers = ''] = record.split('\x1f');
        const parsed = parseTaskTrailers(trailers);
        return { commit, subject, taskId: parsed?.taskId ?? null, agentId: parsed?.agentId ?? null };
      });
    files.push({ ...entry, hunks, commits });
  }
  return { type: 'conflict', tip, base, files };
}
