// A process taking part in a run's merge queue, for tests that SIGKILL it or run two of them on one
// board. Argument: a JSON RunMergeQueueInput. It prints `log <line>` for the queue's progress and
// `outcome <taskId> <type>` for each change it lands; with changes to land it stops its queue and
// exits once they are settled, without any it runs until killed.
import { join } from 'node:path';
import { openPostgresBoard, openSqliteBoard, type TaskBoard } from '../../board/index.ts';
import { createSandbox, SandboxConfig } from '../../sandbox/index.ts';
import {
  createChecksConfig,
  createGit,
  createQueueLander,
  createWorktreeManager,
  openLocalHub,
  QueueSettings,
  startMergeQueue,
} from '../index.ts';

interface RunMergeQueueInput {
  /** A SQLite file, or a postgres:// connection string. */
  board: string;
  userRepo: string;
  hubPath: string;
  worktreeRoot: string;
  runId: string;
  checks: string;
  owner: string;
  leaseTtlMs: number;
  lands: { taskId: string; fence: number; file: string; content: string }[];
}

const input = JSON.parse(process.argv[2] ?? '{}') as RunMergeQueueInput;
const say = (line: string) => process.stdout.write(`${line}\n`);
const signal = new AbortController().signal;
const git = createGit();
const board: TaskBoard = input.board.startsWith('postgres://')
  ? await openPostgresBoard({ url: input.board, signal })
  : openSqliteBoard({ path: input.board });
const hub = await openLocalHub({ userRepo: input.userRepo, path: input.hubPath, git, signal });
const worktrees = createWorktreeManager({ hub, root: input.worktreeRoot, git });
const settings = QueueSettings.parse({ pollIntervalMs: 20, leaseTtlMs: input.leaseTtlMs });
const checks = createChecksConfig(
  { command: input.checks, timeoutMs: 60_000 },
  SandboxConfig.parse({}),
  createSandbox(),
);
const queue = startMergeQueue({
  runId: input.runId,
  board,
  hub,
  git,
  worktrees,
  checks,
  settings,
  owner: input.owner,
  log: (line) => say(`log ${line}`),
});
const lander = createQueueLander({ hub, board, git, queue: settings });
if (input.lands.length === 0) await new Promise(() => {});
await Promise.all(
  input.lands.map(async (change) => {
    const worktree = await worktrees.create({ label: change.taskId, signal });
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(join(worktree.path, change.file), change.content),
    );
    const outcome = await lander.land({
      worktree,
      task: { runId: input.runId, taskId: change.taskId, fence: change.fence, agentId: input.owner },
      message: `Write ${change.file}`,
      signal,
    });
    say(`outcome ${change.taskId} ${outcome.type}`);
  }),
);
await queue.stop();
await board.close();
process.exit(0);
