import { join } from 'node:path';
import type { TaskBoard } from '../../board/index.ts';
import type { BoardEvent, CheckRun, Lease } from '../../protocol/index.ts';
import { createSandbox, SandboxConfig } from '../../sandbox/index.ts';
import { createGit, type Git } from '../git/run-git.ts';
import type { Hub } from '../hub/hub.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import type { Lander } from '../landing/create-lander.ts';
import type { LandOutcome } from '../landing/land-outcome.ts';
import { createChecksConfig } from '../landing/run-checks.ts';
import { type MergeQueue, startMergeQueue } from '../queue/merge-queue.ts';
import { createQueueLander } from '../queue/queue-lander.ts';
import { QueueSettings } from '../queue/queue-settings.ts';
import { createWorktreeManager, type WorktreeManager } from '../worktree/create-worktree-manager.ts';
import { createClaimedTasks } from './claimed-tasks.ts';
import { createTempRepo, type TempRepo } from './temp-repo.ts';

/** Checks that fail, saying where, when any file of the tree contains the word BROKEN. */
export const brokenWordChecks =
  'if grep -rls --exclude-dir=.git BROKEN . ; then echo "checks failed: the files above say BROKEN"; exit 1; fi';

/** A run with claimed tasks, a local hub, a queue lander for workers, and merge queues to start. */
export interface QueueHarness {
  repo: TempRepo;
  board: TaskBoard;
  runId: string;
  leases: Lease[];
  hub: Hub;
  git: Git;
  worktrees: WorktreeManager;
  lander: Lander;
  /** Starts a merge queue in this process; stopped by `close`. */
  startQueue(owner?: string): MergeQueue;
  /** Task `index` (or the task of a lease) writes `files` in a fresh worktree and lands through the queue. */
  land(task: number | Lease, files: Record<string, string>, message?: string): Promise<LandOutcome>;
  /** The run's check runs, oldest first. */
  checkRuns(): Promise<CheckRun[]>;
  /** The run's `queue.*` events, oldest first. */
  queueEvents(): Promise<BoardEvent[]>;
  close(): Promise<void>;
}

/** Options of createQueueHarness. */
export interface QueueHarnessOptions {
  tasks: number;
  /** The seed repository's files; a `.gitignore` is added. */
  files?: Record<string, string>;
  checks?: string;
  settings?: Partial<QueueSettings>;
}

/** Sets up the harness; the one merge-queue test helper. */
export async function createQueueHarness(options: QueueHarnessOptions): Promise<QueueHarness> {
  const repo = createTempRepo({ 'value.txt': 'ok\n', '.gitignore': '.seen\n', ...options.files });
  const signal = new AbortController().signal;
  const git = createGit();
  const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
  const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), options.tasks);
  const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
  const settings = QueueSettings.parse({ pollIntervalMs: 20, leaseTtlMs: 2000, ...options.settings });
  const checks = createChecksConfig(
    { command: options.checks ?? brokenWordChecks, timeoutMs: 60_000 },
    SandboxConfig.parse({}),
    createSandbox(),
  );
  const lander = createQueueLander({ hub, board, git, queue: settings });
  const queues: MergeQueue[] = [];
  return {
    repo,
    board,
    runId,
    leases,
    hub,
    git,
    worktrees,
    lander,
    startQueue(owner = 'queue-owner') {
      const queue = startMergeQueue({ runId, board, hub, git, worktrees, checks, settings, owner });
      queues.push(queue);
      return queue;
    },
    async land(task, files, message) {
      const lease = typeof task === 'number' ? leases[task] : task;
      if (!lease) throw new Error(`no task ${String(task)}`);
      const worktree = await worktrees.create({ label: lease.taskId, signal });
      for (const [path, content] of Object.entries(files)) repo.write(path, content, worktree.path);
      return lander.land({
        worktree,
        task: { runId, taskId: lease.taskId, fence: lease.fence, agentId: lease.owner },
        message: message ?? `Change of ${lease.taskId}`,
        signal,
      });
    },
    async checkRuns() {
      return (await board.listCheckRuns({ runId, limit: 1000 })).reverse();
    },
    async queueEvents() {
      const events = await board.readEvents({ runId, limit: 10_000 });
      return events.filter((event) => event.type.startsWith('queue.'));
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.stop()));
      await board.close();
      repo.cleanup();
    },
  };
}
