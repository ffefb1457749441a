import { setTimeout as delay } from 'node:timers/promises';
import { readAllEvents } from '../board/index.ts';
import {
  createLander,
  createQueueLander,
  type Lander,
  type MergeQueue,
  type QueueSettings,
  startMergeQueue,
} from '../workspace/index.ts';
import type { QueueBenchPlan } from './queue-bench-changes.ts';
import { armFigures, branchCommits, countBrokenCommits, type QueueBenchArm } from './queue-bench-figures.ts';
import { landAllAtOnce } from './queue-bench-workers.ts';
import { openQueueBenchWorkspace, type QueueBenchWorkspace } from './queue-bench-workspace.ts';

/** What every arm runs with. */
export interface ArmContext {
  plan: QueueBenchPlan;
  checkCommand: string;
  checkMs: number;
  queue: QueueSettings;
  signal: AbortSignal;
  progress: (line: string) => void;
}

// how long the queue may take to check the seed tip before the clock starts
const queueStartTimeoutMs = 5 * 60_000;

/**
 * The merge queue: one queue owner in this process checks batches in `speculation` slots and pushes
 * only green-checked commits; every worker lands through the queue lander. The clock starts once the
 * queue has checked the seed tip (a long-lived queue does that once per run).
 */
export async function runQueueArm(context: ArmContext): Promise<QueueBenchArm> {
  return withWorkspace(context, async (workspace) => {
    const { board, runId, hub, git, worktrees, checks } = workspace;
    let queue: MergeQueue | null = null;
    try {
      queue = startMergeQueue({
        runId,
        board,
        hub,
        git,
        worktrees,
        checks,
        settings: context.queue,
        owner: `bench-queue-${process.pid}`,
        log: (line) => {
          if (/error|refused/i.test(line)) context.progress(line);
        },
      });
      const lander = createQueueLander({ hub, board, git, queue: context.queue });
      const { records, seconds } = await landAllAtOnce({
        ...armOptions(context, 'queue', workspace, lander),
        runChecks: false,
        beforeStart: () => waitForFirstCheckRun(workspace, context.signal),
      });
      await queue.stop();
      queue = null;
      const pushed = (await readAllEvents(board, { runId, types: ['queue.pushed'] }, context.signal)).flatMap(
        (event) => (event.type === 'queue.pushed' ? [event.payload.commit] : []),
      );
      const runs = await board.listCheckRuns({ runId, limit: 10_000 }, { signal: context.signal });
      return armFigures(records, seconds, {
        tips: pushed.length,
        red_tips: await countBrokenCommits(git, hub.url, pushed, context.signal),
        check_runs: runs.length,
        checks_started: workspace.checksStarted(),
      });
    } finally {
      await queue?.stop();
    }
  });
}

/** Every change checked inside the direct lander's serialising gate: one check run per change, in order. */
export async function runOneCheckArm(context: ArmContext): Promise<QueueBenchArm> {
  return withWorkspace(context, async (workspace) => {
    const { board, hub, git, checks } = workspace;
    const lander = createLander({ hub, board, git, checks, concurrentAttempts: 1 });
    const { records, seconds } = await landAllAtOnce({
      ...armOptions(context, 'one_check_per_change', workspace, lander),
      runChecks: true,
    });
    return armFigures(records, seconds, {
      ...(await directTips(workspace, context.signal)),
      check_runs: workspace.checksStarted(),
      checks_started: workspace.checksStarted(),
    });
  });
}

/** Direct landing without checks: every change goes straight onto the branch. */
export async function runDirectArm(context: ArmContext): Promise<QueueBenchArm> {
  return withWorkspace(context, async (workspace) => {
    const { board, hub, git } = workspace;
    const lander = createLander({ hub, board, git, concurrentAttempts: 1 });
    const { records, seconds } = await landAllAtOnce({
      ...armOptions(context, 'direct_no_checks', workspace, lander),
      runChecks: false,
    });
    return armFigures(records, seconds, {
      ...(await directTips(workspace, context.signal)),
      check_runs: 0,
      checks_started: workspace.checksStarted(),
    });
  });
}

async function withWorkspace(
  context: ArmContext,
  run: (workspace: QueueBenchWorkspace) => Promise<QueueBenchArm>,
): Promise<QueueBenchArm> {
  const workspace = await openQueueBenchWorkspace({
    files: context.plan.files,
    changes: context.plan.changes.length,
    checkCommand: context.checkCommand,
    checkMs: context.checkMs,
    signal: context.signal,
  });
  try {
    return await run(workspace);
  } finally {
    await workspace.close();
  }
}

function armOptions(context: ArmContext, name: string, workspace: QueueBenchWorkspace, lander: Lander) {
  const { plan, signal, progress } = context;
  return { name, workspace, lander, changes: plan.changes, signal, progress };
}

/** With direct landing every commit after the seed was the tip once: how many, and how many were red. */
async function directTips(workspace: QueueBenchWorkspace, signal: AbortSignal) {
  const { git, hub } = workspace;
  const commits = await branchCommits(git, hub.url, `${hub.seedCommit}..${hub.branch}`, signal);
  return { tips: commits.length, red_tips: await countBrokenCommits(git, hub.url, commits, signal) };
}

/** Waits until the queue has recorded its first check run (the seed tip's). */
async function waitForFirstCheckRun(workspace: QueueBenchWorkspace, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + queueStartTimeoutMs;
  while (performance.now() < deadline) {
    const runs = await workspace.board.listCheckRuns({ runId: workspace.runId, limit: 1 }, { signal });
    if (runs.length > 0) return;
    await delay(50, undefined, { signal });
  }
  throw new Error(`the merge queue did not check the seed tip within ${queueStartTimeoutMs / 1000} s`);
}
