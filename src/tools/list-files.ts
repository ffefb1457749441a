import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from './git-command.ts';

/** Files below a directory, as paths relative to it with forward slashes. */
export interface FileListing {
  files: string[];
  /** `git` when .gitignore rules were applied, `walk` when the directory is not in a git repository. */
  source: 'git' | 'walk';
}

/**
 * Lists the regular files (and symlinks) below `directory`, honouring .gitignore when the directory is
 * inside a git work tree; otherwise walks the tree, skipping `.git`.
 */
export async function listFiles(directory: string, signal: AbortSignal): Promise<FileListing> {
  const git = await runGit(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: directory,
    signal,
  });
  if (git.exitCode !== 0) return { files: await walk(directory, signal), source: 'walk' };
  const unique = [...new Set(git.stdout.split('\0').filter((entry) => entry !== ''))];
  // --cached still lists files deleted from the work tree and submodule directories; keep only real files.
  const present = await Promise.all(
    unique.map(async (entry) => ((await isFile(path.join(directory, entry))) ? entry : null)),
  );
  return { files: present.filter((entry): entry is string => entry !== null).sort(), source: 'git' };
}

async function isFile(target: string): Promise<boolean> {
  try {
    const status = await lstat(target);
    return status.isFile() || status.isSymbolicLink();
  } catch {
    return false;
  }
}

async function walk(root: string, signal: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    signal.throwIfAborted();
    const relative = pending.pop()!;
    const entries = await readdir(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') pending.push(child);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        files.push(child);
      }
    }
  }
  return files.sort();
}
