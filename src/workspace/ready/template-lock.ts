import { rm, stat } from 'node:fs/promises';
import { activeLock, isOwnerGone, readLock, writeLock } from '../worktree/worktree-lock.ts';

const unreadableLockGraceMs = 60_000;

/** What trying to take a template's build lock found. */
export type TemplateLockAttempt = { type: 'acquired' } | { type: 'held' };

/**
 * Takes the build lock of one template (a file created exclusively), so one process per machine
 * builds it while the others wait. A lock whose owner died (SIGKILL during setup) is taken over.
 */
export async function tryTemplateLock(path: string, clock: () => number): Promise<TemplateLockAttempt> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeLock(path, activeLock(clock), true);
      return { type: 'acquired' };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!(await isStale(path, clock))) return { type: 'held' };
    await rm(path, { force: true });
  }
  return { type: 'held' };
}

/** Whether the lock at `path` belongs to nobody alive (or is gone already). */
export async function isStale(path: string, clock: () => number): Promise<boolean> {
  const lock = await readLock(path);
  if (lock === null) {
    const info = await stat(path).catch(() => null);
    // missing: nobody holds it; unreadable: a writer mid-write, unless it is old
    return info === null || clock() - info.mtimeMs > unreadableLockGraceMs;
  }
  return lock.type === 'active' && isOwnerGone(lock);
}
