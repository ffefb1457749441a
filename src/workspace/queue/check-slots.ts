import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from '../git/run-git.ts';
import { type ChecksConfig, type ChecksResult, runChecks } from '../landing/run-checks.ts';
import type { Worktree, WorktreeManager } from '../worktree/create-worktree-manager.ts';

/** The queue's checkouts: where batch heads are checked, one check at a time in each. */
export interface CheckSlots {
  /** The clone the chain's commits are written in and pushed from (the first slot). */
  readonly chainPath: string;
  /** How many checks can run at once. */
  readonly size: number;
  /** Checks out `commit` in a free slot (waiting for one) and runs the checks there, in the sandbox. */
  check(commit: string, signal: AbortSignal): Promise<ChecksResult>;
  /** Removes the slots' clones. */
  close(signal: AbortSignal): Promise<void>;
}

/** Options of createCheckSlots. */
export interface CheckSlotsOptions {
  worktrees: WorktreeManager;
  git: Git;
  checks: ChecksConfig;
  size: number;
  /** Names the clones, e.g. the queue owner's id. */
  label: string;
  signal: AbortSignal;
}

/**
 * Makes `size` clones through the worktree manager (so each is made ready like an agent's worktree,
 * dependencies included). The other slots borrow the first one's objects, so a chain commit written
 * there can be checked out anywhere without a fetch.
 */
export async function createCheckSlots(options: CheckSlotsOptions): Promise<CheckSlots> {
  const { worktrees, git, signal } = options;
  const clones: Worktree[] = [];
  try {
    for (let index = 0; index < options.size; index++)
      clones.push(await worktrees.create({ label: `${options.label}-check-${index}`, signal }));
  } catch (error) {
    await Promise.allSettled(clones.map((clone) => worktrees.release(clone, { failed: false, signal })));
    throw error;
  }
  const [first] = clones;
  if (!first) throw new Error('the merge queue needs at least one check slot');
  for (const clone of clones.slice(1)) {
    const info = join(clone.path, '.git', 'objects', 'info');
    await mkdir(info, { recursive: true });
    await appendFile(join(info, 'alternates'), `${join(first.path, '.git', 'objects')}\n`);
  }
  const free = [...clones];
  const waiting: ((clone: Worktree) => void)[] = [];
  const acquire = () =>
    new Promise<Worktree>((resolve) => {
      const clone = free.shift();
      if (clone) resolve(clone);
      else waiting.push(resolve);
    });
  const releaseSlot = (clone: Worktree) => {
    const next = waiting.shift();
    if (next) next(clone);
    else free.push(clone);
  };
  return {
    chainPath: first.path,
    size: clones.length,
    async check(commit, checkSignal) {
      const clone = await acquire();
      try {
        await git(['checkout', '--quiet', '--detach', '--force', commit], {
          cwd: clone.path,
          signal: checkSignal,
        });
        // untracked files a previous check left go; ignored ones (installed dependencies) stay
        await git(['clean', '-fdq'], { cwd: clone.path, signal: checkSignal });
        return await runChecks(options.checks, clone.path, checkSignal);
      } finally {
        releaseSlot(clone);
      }
    },
    async close(closeSignal) {
      await Promise.allSettled(
        clones.map((clone) => worktrees.release(clone, { failed: false, signal: closeSignal })),
      );
    },
  };
}
