import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Who drives a run right now, as recorded in its lock file. */
export interface RunLockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process driving a run, or null when none is (it never started, finished, or died). */
export async function readRunLock(path: string): Promise<RunLockOwner | null> {
  let owner: RunLockOwner;
  try {
    owner = JSON.parse(await readFile(path, 'utf8')) as RunLockOwner;
  } catch {
    return null;
  }
  // a lock from another machine cannot be checked here; trust it
  if (owner.host !== hostname()) return owner;
  return isAlive(owner.pid) ? owner : null;
}

/**
 * Claims a run for this process, so that `cadre resume` can tell a paused run (send it a resume)
 * from a run whose process died (take it over). Fails when another live process drives the run.
 */
export async function acquireRunLock(
  path: string,
  clock: () => number = Date.now,
): Promise<() => Promise<void>> {
  const current = await readRunLock(path);
  if (current && current.pid !== process.pid) {
    throw new Error(`run is being driven by process ${current.pid} on ${current.host}`);
  }
  await mkdir(dirname(path), { recursive: true });
  const owner: RunLockOwner = { pid: process.pid, host: hostname(), startedAt: clock() };
  await writeFile(path, JSON.stringify(owner));
  return async () => {
    await rm(path, { force: true });
  };
}
