import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TaskBoard } from '../board/index.ts';
import { StaleFenceError } from '../board/index.ts';
import type { Hub, Lander, Worktree, WorktreeManager } from '../workspace/index.ts';

/** A workspace without git, for measuring the fleet itself: worktrees are empty directories and a landing is only its board record. */
export interface ScratchWorkspace {
  hub: Hub;
  worktrees: WorktreeManager;
  lander: Lander;
  root: string;
  cleanup(): Promise<void>;
}

const noCommit = '0'.repeat(40);
const warmWorktrees = 8;

/**
 * Stands in for git in `cadre bench fleet` and the coordination lab without `--git`: landing
 * still goes through the board's exactly-once record (a fence check and one landing per task),
 * so duplicate or lost work still shows, but no repository is touched.
 */
export async function createScratchWorkspace(
  board: TaskBoard,
  directory: string,
  /** Directories (relative) made in every new worktree, so agents see a project's layout. */
  layout: readonly string[],
): Promise<ScratchWorkspace> {
  await mkdir(directory, { recursive: true });
  // resolved once, so every worktree path under it is already its real path
  const root = await realpath(await mkdtemp(join(directory, 'scratch-')));
  // released worktrees move here in one rename and are removed with the workspace: a recursive
  // delete per agent would put the stand-in's file-system work into the fleet's measurements
  const trash = join(root, '.released');
  await mkdir(trash);
  const hub: Hub = {
    location: { type: 'local', path: root },
    url: root,
    branch: 'main',
    objectSource: root,
    seedCommit: noCommit,
    refresh: async () => {},
    tip: async () => noCommit,
  };
  // a few empty worktrees made ahead, the way a fleet would keep warm checkouts: an agent starts on
  // one at once instead of waiting for three file-system round trips on a busy thread pool
  const ready: string[] = [];
  let making = 0;
  const makeWorktree = async () => {
    const path = await mkdtemp(join(root, 'worktree-'));
    await Promise.all(layout.map((directory) => mkdir(join(path, directory), { recursive: true })));
    return path;
  };
  const refill = () => {
    while (ready.length + making < warmWorktrees) {
      making++;
      void makeWorktree()
        .then((path) => ready.push(path))
        .catch(() => {})
        .finally(() => {
          making--;
        });
    }
  };
  const worktrees: WorktreeManager = {
    cleanStale: async () => [],
    async create() {
      const path = ready.pop() ?? (await makeWorktree());
      refill();
      return {
        path,
        realPath: path,
        name: path.slice(root.length + 1),
        baseCommit: noCommit,
        ready: null,
      } satisfies Worktree;
    },
    async release(worktree) {
      await rename(worktree.path, join(trash, basename(worktree.path)));
      return { type: 'removed', path: worktree.path };
    },
  };
  const lander: Lander = {
    // no git, so nothing is serialised
    gateUsage: () => ({ occupiedMs: 0, waitedMs: 0, entries: 0 }),
    async land(request) {
      const commit = createHash('sha1').update(`${request.task.taskId}:${request.task.fence}`).digest('hex');
      try {
        const outcome = await board.recordLanding({
          taskId: request.task.taskId,
          fence: request.task.fence,
          commit,
        });
        return outcome.type === 'landed'
          ? { type: 'landed', commit, attempts: 1, durationMs: 0, files: [] }
          : {
              type: 'already-landed',
              commit: outcome.landing.commit,
              source: 'board',
              attempts: 1,
              durationMs: 0,
            };
      } catch (error) {
        if (error instanceof StaleFenceError)
          return { type: 'stale-fence', pushed: false, commit: null, message: error.message };
        throw error;
      }
    },
  };
  return {
    hub,
    worktrees,
    lander,
    root,
    cleanup: async () => {
      // a refill still in flight would recreate a directory under a root being removed
      while (making > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await rm(root, { recursive: true, force: true });
    },
  };
}
