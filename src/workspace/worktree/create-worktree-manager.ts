import { randomBytes } from 'node:crypto';
import { mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Git, gitText } from '../git/run-git.ts';
import type { Hub } from '../hub/hub.ts';
import type { ReadyWorktrees } from '../ready/ready-worktrees.ts';
import type { ReadyReport } from '../ready/setup-report.ts';
import { activeLock, isOwnerGone, readLock, writeLock } from './worktree-lock.ts';

/** One agent's checkout of the shared branch. */
export interface Worktree {
  /** Absolute path of the checkout. */
  path: string;
  /** The same directory with every symlink resolved: what tools confine the agent's paths to. */
  realPath: string;
  /** Directory name under the worktree root, unique per worktree. */
  name: string;
  /** The branch tip it was created at. */
  baseCommit: string;
  /** How its dependencies were installed (null without `workspace.setup`), and how long readying took. */
  ready: { report: ReadyReport; readyMs: number } | null;
}

/** What releasing a worktree did. */
export type ReleasedWorktree = { type: 'removed'; path: string } | { type: 'kept'; path: string };

/** Options of createWorktreeManager. */
export interface WorktreeManagerOptions {
  hub: Hub;
  /** Directory holding the worktrees and their lock files, e.g. `<userRepo>/.cadre/worktrees`. */
  root: string;
  git: Git;
  /** Makes each new worktree ready (`workspace.setup`); its templates live under `<root>/.ready`. */
  ready?: ReadyWorktrees;
  /** Keep the worktree of an agent that failed, for a post-mortem. */
  keepOnFailure?: boolean;
  clock?: () => number;
}

/** Creates, releases and cleans up agents' worktrees. */
export interface WorktreeManager {
  /** Removes worktrees whose owning process on this machine is gone; returns their paths. */
  cleanStale(signal: AbortSignal): Promise<string[]>;
  /** A fresh worktree at the branch tip; `label` (an agent id) starts its name. */
  create(request: { label: string; signal: AbortSignal }): Promise<Worktree>;
  /** Removes the worktree, or keeps it when the agent failed and keepOnFailure is set. */
  release(
    worktree: Worktree,
    request: { failed: boolean; reason?: string; signal: AbortSignal },
  ): Promise<ReleasedWorktree>;
}

const lockSuffix = '.lock';
const unreadableLockGraceMs = 60_000;

/**
 * Worktrees are separate clones made with `git clone --shared` from the hub (or the cache of a
 * remote hub): the clone borrows the hub's objects through an alternates file, so creating one is a
 * checkout and nothing more, whatever the size of the history. Unlike `git worktree add`, clones
 * share no refs, index or lock files, so a hundred landers fetching and committing at once never
 * wait on each other's `.lock` files, and an agent can only ever damage its own clone. Borrowing
 * objects is safe because the hub never rewrites history (non-fast-forward pushes are refused), so
 * nothing a clone borrows is ever pruned.
 */
export function createWorktreeManager(options: WorktreeManagerOptions): WorktreeManager {
  const { hub, git } = options;
  const root = resolve(options.root);
  const clock = options.clock ?? Date.now;

  const removeWorktree = async (name: string) => {
    await rm(join(root, name), { recursive: true, force: true });
    await rm(join(root, `${name}${lockSuffix}`), { force: true });
  };

  return {
    async cleanStale(signal) {
      signal.throwIfAborted();
      await mkdir(root, { recursive: true });
      const entries = await readdir(root);
      const removed: string[] = [];
      if (options.ready) removed.push(...(await options.ready.cleanStale(signal)));
      for (const entry of entries) {
        // dot entries are not worktrees (the ready templates live in `.ready`)
        if (entry.startsWith('.')) continue;
        if (entry.endsWith(lockSuffix)) {
          const name = entry.slice(0, -lockSuffix.length);
          const lock = await readLock(join(root, entry));
          // an unreadable lock may be one being written this instant; only an old one is a crash's leftover
          const stale =
            lock === null
              ? clock() - (await stat(join(root, entry))).mtimeMs > unreadableLockGraceMs
              : lock.type === 'active' && isOwnerGone(lock);
          if (stale) {
            await removeWorktree(name);
            removed.push(join(root, name));
          }
        } else if (
          !entries.includes(`${entry}${lockSuffix}`) &&
          (await stat(join(root, entry))).isDirectory()
        ) {
          // creators write the lock before the directory and removers delete it after, so nobody owns this one
          await rm(join(root, entry), { recursive: true, force: true });
          removed.push(join(root, entry));
        }
      }
      return removed;
    },

    async create({ label, signal }) {
      await mkdir(root, { recursive: true });
      const name = `${label.replace(/[^\w.-]/g, '-')}-${randomBytes(4).toString('hex')}`;
      const path = join(root, name);
      await writeLock(join(root, `${name}${lockSuffix}`), activeLock(clock), true);
      try {
        await hub.refresh(signal);
        await git(
          [
            'clone',
            '--quiet',
            '--shared',
            '--no-tags',
            '--single-branch',
            `--branch=${hub.branch}`,
            // agents write the worktree, never its hooks: turned off in the clone's own config
            '--config=core.hooksPath=/dev/null',
            hub.objectSource,
            path,
          ],
          { cwd: root, signal },
        );
        if (hub.url !== hub.objectSource) {
          await git(['remote', 'set-url', 'origin', hub.url], { cwd: path, signal });
        }
        const baseCommit = await gitText(git, ['rev-parse', 'HEAD'], { cwd: path, signal });
        const started = performance.now();
        const report = options.ready ? await options.ready.prepare(path, signal) : null;
        const ready = report ? { report, readyMs: Math.round(performance.now() - started) } : null;
        return { path, realPath: await realpath(path), name, baseCommit, ready };
      } catch (error) {
        await removeWorktree(name);
        throw error;
      }
    },

    async release(worktree, { failed, reason, signal }) {
      signal.throwIfAborted();
      options.ready?.forget(worktree.path);
      if (failed && options.keepOnFailure) {
        const lock = { type: 'kept' as const, reason: reason ?? 'the agent failed', keptAt: clock() };
        await writeLock(join(root, `${worktree.name}${lockSuffix}`), lock, false);
        return { type: 'kept', path: worktree.path };
      }
      await removeWorktree(worktree.name);
      return { type: 'removed', path: worktree.path };
    },
  };
}
