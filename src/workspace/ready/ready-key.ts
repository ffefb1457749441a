import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { knownLockFiles, type SetupSettings } from './setup-settings.ts';

/** What a worktree's ready state was made from: the key of its template and the files it hashed. */
export interface ReadyKey {
  /** Hex digest of the setup commands, their environment and the reuse files' content. */
  key: string;
  /** The reuse files, each with its size and modification time when hashed (a cheap change test). */
  files: { path: string; size: number | null; mtimeMs: number | null }[];
}

/**
 * The reuse files: the configured ones, or every known lock file name — absent ones included, so a
 * lock file an agent creates is a change like any other.
 */
export function reuseFilesOf(settings: SetupSettings): readonly string[] {
  return settings.reuseFiles ?? knownLockFiles;
}

/** Hashes the setup's own definition and the content of the reuse files as they are in the worktree. */
export async function computeReadyKey(settings: SetupSettings, worktreePath: string): Promise<ReadyKey> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ commands: settings.commands, environment: settings.environment }));
  const files: ReadyKey['files'] = [];
  for (const path of reuseFilesOf(settings)) {
    hash.update(`\0${path}\0`);
    try {
      const absolute = join(worktreePath, path);
      const [content, info] = await Promise.all([readFile(absolute), stat(absolute)]);
      hash.update(`${content.length}\0`);
      hash.update(content);
      files.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // a deleted lock file is a change too
      hash.update('absent');
      files.push({ path, size: null, mtimeMs: null });
    }
  }
  return { key: hash.digest('hex').slice(0, 24), files };
}

/** Whether any reuse file may have changed since the key was computed (size or mtime moved). */
export async function reuseFilesMoved(key: ReadyKey, worktreePath: string): Promise<boolean> {
  for (const file of key.files) {
    const info = await stat(join(worktreePath, file.path)).catch(() => null);
    if ((info?.size ?? null) !== file.size || (info?.mtimeMs ?? null) !== file.mtimeMs) return true;
  }
  return false;
}
