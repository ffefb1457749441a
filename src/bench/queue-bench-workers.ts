import type { Lander, LandOutcome, Worktree } from '../workspace/index.ts';
import {
  type QueueBenchChange,
  resolveQueueBenchConflict,
  writeQueueBenchChange,
} from './queue-bench-changes.ts';
import type { QueueBenchWorkspace } from './queue-bench-workspace.ts';

/** How one worker's change ended. */
export interface WorkerRecord {
  change: QueueBenchChange;
  outcome: LandOutcome['type'];
  /** From the first `land` call until it settled, conflict resolutions included. */
  durationMs: number;
  /** Conflicts the worker resolved and landed again after. */
  conflicts: number;
}

/** Options of landAllAtOnce. */
export interface LandAllOptions {
  name: string;
  workspace: QueueBenchWorkspace;
  lander: Lander;
  changes: readonly QueueBenchChange[];
  /** Ask the lander to run the checks before it pushes (the direct lander's own checks). */
  runChecks: boolean;
  /** Awaited after the worktrees are ready and before the clock starts (a queue's start-up). */
  beforeStart?: () => Promise<void>;
  signal: AbortSignal;
  progress: (line: string) => void;
}

// a worker that still conflicts after this many resolutions stops, as a stuck agent would
const maxResolutions = 10;
// worktrees created or removed at once
const preparing = 4;
const progressEveryMs = 5000;

/**
 * One worker per change, each with a worktree of its own holding its change: all call `land` at once,
 * a conflict is resolved (both sides kept) and landed again, any other outcome ends the worker.
 */
export async function landAllAtOnce(
  options: LandAllOptions,
): Promise<{ records: WorkerRecord[]; seconds: number }> {
  const { workspace, signal, progress, name } = options;
  progress(`${name}: creating ${options.changes.length} worktrees`);
  const worktrees = await inBatches(options.changes, async (change) => {
    const worktree = await workspace.worktrees.create({ label: `change-${change.index}`, signal });
    await writeQueueBenchChange(worktree.path, change);
    return worktree;
  });
  await options.beforeStart?.();
  const records: WorkerRecord[] = [];
  const started = performance.now();
  const timer = setInterval(() => {
    const landed = records.filter((record) => record.outcome === 'landed').length;
    const seconds = Math.round((performance.now() - started) / 1000);
    progress(`${name}: ${records.length}/${options.changes.length} settled, ${landed} landed, ${seconds} s`);
  }, progressEveryMs);
  timer.unref();
  try {
    progress(`${name}: ${options.changes.length} workers landing at once`);
    await Promise.all(
      options.changes.map(async (change, index) => {
        const begun = performance.now();
        const ended = await landResolving(options, change, worktrees[index] as Worktree);
        records.push({ change, ...ended, durationMs: performance.now() - begun });
      }),
    );
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  await inBatches(worktrees, (worktree) => workspace.worktrees.release(worktree, { failed: false, signal }));
  records.sort((left, right) => left.change.index - right.change.index);
  return { records, seconds };
}

/** Lands one change, resolving each conflict and landing again, until it settles. */
async function landResolving(
  options: LandAllOptions,
  change: QueueBenchChange,
  worktree: Worktree,
): Promise<{ outcome: LandOutcome['type']; conflicts: number }> {
  const lease = options.workspace.leases[change.index];
  if (!lease) throw new Error(`no task for change ${change.index}`);
  const request = {
    worktree,
    task: { runId: options.workspace.runId, taskId: lease.taskId, fence: lease.fence, agentId: lease.owner },
    message: `Bench change ${change.index}`,
    runChecks: options.runChecks,
    signal: options.signal,
  };
  let outcome = await options.lander.land(request);
  let conflicts = 0;
  while (outcome.type === 'conflict' && conflicts < maxResolutions) {
    conflicts++;
    await resolveQueueBenchConflict(worktree.path, outcome.report);
    outcome = await options.lander.land(request);
  }
  return { outcome: outcome.type, conflicts };
}

/** Maps `items` a few at a time, keeping their order. */
async function inBatches<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += preparing)
    results.push(...(await Promise.all(items.slice(start, start + preparing).map(map))));
  return results;
}
