// A lander in its own process, for tests that SIGKILL it. Argument: a JSON LandTaskFixtureInput.
// It prints `worktree <path>`, then `paused <step>` and waits forever if `pauseAt` names a step,
// and finally `outcome <json>`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteBoard } from '../../board/index.ts';
import { createGit, createLander, createWorktreeManager, type LandingStep, openLocalHub } from '../index.ts';

interface LandTaskFixtureInput {
  userRepo: string;
  hubPath: string;
  boardPath: string;
  worktreeRoot: string;
  runId: string;
  taskId: string;
  fence: number;
  agentId: string;
  file: string;
  content: string;
  pauseAt?: LandingStep;
}

const input = JSON.parse(process.argv[2] ?? '{}') as LandTaskFixtureInput;
const say = (line: string) => process.stdout.write(`${line}\n`);
const signal = new AbortController().signal;
const git = createGit();
const board = openSqliteBoard({ path: input.boardPath });
const hub = await openLocalHub({ userRepo: input.userRepo, path: input.hubPath, git, signal });
const worktrees = createWorktreeManager({ hub, root: input.worktreeRoot, git });
const worktree = await worktrees.create({ label: input.agentId, signal });
say(`worktree ${worktree.path}`);
writeFileSync(join(worktree.path, input.file), input.content);
const lander = createLander({
  hub,
  board,
  git,
  onStep: async (step) => {
    if (step !== input.pauseAt) return;
    say(`paused ${step}`);
    await new Promise(() => {});
  },
});
const outcome = await lander.land({
  worktree,
  task: { runId: input.runId, taskId: input.taskId, fence: input.fence, agentId: input.agentId },
  message: `Write ${input.file}`,
  signal,
});
say(`outcome ${JSON.stringify(outcome)}`);
await worktrees.release(worktree, { failed: false, signal });
await board.close();
process.exit(0);
