import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskBoard } from '../../board/index.ts';
import type { Lander, WorktreeManager } from '../../workspace/index.ts';

/** How landing one task of the set ended for a peer. */
export type TaskLandingOutcome = 'landed' | 'already-done' | 'failed';

/** Lands the work of one task of the set, exactly once whoever does it. */
export interface TaskLanding {
  land(task: number, signal: AbortSignal): Promise<TaskLandingOutcome>;
}

/** The directory of task `index` of the set; also the scope that lets a claim pick that very task. */
export function taskDirectory(index: number): string {
  return `tasks/task-${String(index).padStart(5, '0')}`;
}

/** Files one board task per task of the set, each scoped to its own directory. */
export async function fileTaskSet(
  board: TaskBoard,
  runId: string,
  tasks: number,
  signal: AbortSignal,
): Promise<string[]> {
  const created = await board.createTasks(
    Array.from({ length: tasks }, (_, index) => ({
      runId,
      kind: 'work' as const,
      title: `task ${index} of the coordination lab`,
      scope: [`${taskDirectory(index)}/**`],
    })),
    { signal },
  );
  return created.map((task) => task.id);
}

/** Options of createTaskLanding. */
export interface TaskLandingOptions {
  board: TaskBoard;
  runId: string;
  /** The lease owner and commit author: the peer's agent id. */
  owner: string;
  lander: Lander;
  /** With git: each landing writes a file into a fresh worktree; without, the lander only records it. */
  worktrees: WorktreeManager | null;
}

/**
 * A peer's landing: lease the task's board row (a claim filtered on its directory), land through
 * the real lander, complete the row. The lease is taken only after the work, so a peer that did a
 * task somebody else already landed finds the row gone and learns its work was a duplicate — the
 * board's exactly-once landing is not what keeps flat peers from doing work twice, the list is.
 */
export function createTaskLanding(options: TaskLandingOptions): TaskLanding {
  const { board, runId, owner } = options;
  return {
    async land(task, signal) {
      const lease = await board.claim(
        { owner, ttlMs: 3_600_000, filter: { runId, kinds: ['work'], scopes: [`${taskDirectory(task)}/`] } },
        { signal },
      );
      if (lease === null) return 'already-done';
      const worktree = options.worktrees ? await options.worktrees.create({ label: owner, signal }) : null;
      let failed = true;
      try {
        if (worktree) {
          const directory = join(worktree.path, taskDirectory(task));
          await mkdir(directory, { recursive: true });
          await writeFile(
            join(directory, 'index.ts'),
            `// Task ${task} of the coordination lab, written by a simulated flat peer (${owner}).\nexport const task = ${task};\n`,
          );
        }
        const outcome = await options.lander.land({
          worktree: { path: worktree?.path ?? '.' },
          task: { runId, taskId: lease.taskId, fence: lease.fence, agentId: owner },
          message: `Do task ${task} of the coordination lab`,
          signal,
        });
        if (outcome.type !== 'landed' && outcome.type !== 'already-landed') {
          await board.fail(
            {
              taskId: lease.taskId,
              fence: lease.fence,
              reason: `not landed: ${outcome.type}`,
              retryable: false,
            },
            { signal },
          );
          return 'failed';
        }
        await board.complete({ taskId: lease.taskId, fence: lease.fence }, { signal });
        failed = false;
        return 'landed';
      } finally {
        if (worktree && options.worktrees) await options.worktrees.release(worktree, { failed, signal });
      }
    },
  };
}
