import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';

/** The lock file beside each worktree: who owns it, or that it was kept for a post-mortem. */
export const WorktreeLock = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('active'),
    pid: z.int().min(1),
    hostname: z.string(),
    /** The owner's start time from /proc, so a recycled pid is not mistaken for the owner. */
    processStart: z.string().nullable(),
    createdAt: z.int(),
  }),
  z.object({ type: z.literal('kept'), reason: z.string(), keptAt: z.int() }),
]);
/** The lock file beside each worktree. */
export type WorktreeLock = z.infer<typeof WorktreeLock>;

/** When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat); null off Linux. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces and parentheses; fields after it are plain
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** A lock for a worktree owned by this process. */
export function activeLock(clock: () => number): WorktreeLock {
  return {
    type: 'active',
    pid: process.pid,
    hostname: hostname(),
    processStart: processStartTime(process.pid),
    createdAt: clock(),
  };
}

/** Writes a lock file; `exclusive` fails when one exists, so two creators never share a name. */
export async function writeLock(path: string, lock: WorktreeLock, exclusive: boolean): Promise<void> {
  await writeFile(path, `${JSON.stringify(lock)}\n`, { flag: exclusive ? 'wx' : 'w' });
}

/** Reads a lock file; null when it is missing or unreadable (a crash while writing it). */
export async function readLock(path: string): Promise<WorktreeLock | null> {
  try {
    return WorktreeLock.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Whether the process that wrote an active lock is gone. Locks from other machines (a worktree
 * root on a shared disk) are never judged here: their owner may well be alive.
 */
export function isOwnerGone(lock: Extract<WorktreeLock, { type: 'active' }>): boolean {
  if (lock.hostname !== hostname()) return false;
  try {
    process.kill(lock.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const start = processStartTime(lock.pid);
  return lock.processStart !== null && start !== null && start !== lock.processStart;
}
