import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** What git inside the sandbox needs from outside the worktree, all mounted read-only. */
export interface GitDirectories {
  /** The worktree's own `.git` directory, when it has one (kept read-only when protected). */
  ownDirectory: string | null;
  /** Directories outside the worktree that git reads: borrowed object stores, a linked worktree's git dir. */
  borrowed: string[];
}

const maxAlternateDepth = 5;

/**
 * Finds what git needs to work in a worktree: the object stores a `git clone --shared` borrows
 * (objects/info/alternates, followed through chains) and, for a `git worktree add` checkout, its git
 * directory and the common directory it points to. Without them `git status` fails in the sandbox.
 */
export async function findGitDirectories(worktreeRoot: string): Promise<GitDirectories> {
  const dotGit = path.join(worktreeRoot, '.git');
  const kind = await entryKind(dotGit);
  if (kind === 'missing') return { ownDirectory: null, borrowed: [] };
  if (kind === 'directory') {
    return { ownDirectory: dotGit, borrowed: await alternates(path.join(dotGit, 'objects'), 0) };
  }
  const linked = await linkedGitDirectory(dotGit);
  if (linked === null) return { ownDirectory: null, borrowed: [] };
  const common = await commonDirectory(linked);
  const borrowed = [linked, ...(common ? [common] : [])];
  borrowed.push(...(await alternates(path.join(common ?? linked, 'objects'), 0)));
  return { ownDirectory: null, borrowed: unique(borrowed) };
}

async function entryKind(target: string): Promise<'missing' | 'directory' | 'file'> {
  try {
    return (await stat(target)).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

async function alternates(objectsDirectory: string, depth: number): Promise<string[]> {
  if (depth >= maxAlternateDepth) return [];
  let text: string;
  try {
    text = await readFile(path.join(objectsDirectory, 'info', 'alternates'), 'utf8');
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    const resolved = await existingRealPath(path.resolve(objectsDirectory, entry));
    if (resolved === null) continue;
    found.push(resolved, ...(await alternates(resolved, depth + 1)));
  }
  return unique(found);
}

async function linkedGitDirectory(dotGitFile: string): Promise<string | null> {
  try {
    const text = await readFile(dotGitFile, 'utf8');
    const match = /^gitdir:\s*(.+)$/m.exec(text);
    if (!match?.[1]) return null;
    return existingRealPath(path.resolve(path.dirname(dotGitFile), match[1].trim()));
  } catch {
    return null;
  }
}

async function commonDirectory(gitDirectory: string): Promise<string | null> {
  try {
    const text = (await readFile(path.join(gitDirectory, 'commondir'), 'utf8')).trim();
    return existingRealPath(path.resolve(gitDirectory, text));
  } catch {
    return null;
  }
}

async function existingRealPath(target: string): Promise<string | null> {
  try {
    return await realpath(target);
  } catch {
    return null;
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
