import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
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
  const root = await mkdtemp(join(directory, 'scratch-'));
  const hub: Hub = {
    location: { type: 'local', path: root },
    url: root,
    branch: 'main',
    objectSource: root,
    seedCommit: noCommit,
    refresh: async () => {},
    tip: async () => noCommit,
  };
  const worktrees: WorktreeManager = {
    cleanStale: async () => [],
    async create(request) {
      const path = await mkdtemp(join(root, `${request.label}-`));
      for (const directory of layout) await mkdir(join(path, directory), { recursive: true });
      return { path, name: path.slice(root.length + 1), baseCommit: noCommit } satisfies Worktree;
    },
    async release(worktree) {
      await rm(worktree.path, { recursive: true, force: true });
      return { type: 'removed', path: worktree.path };
    },
  };
  const lander: Lander = {
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
  return { hub, worktrees, lander, root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
