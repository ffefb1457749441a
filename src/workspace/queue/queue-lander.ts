import { StaleFenceError, type TaskBoard } from '../../board/index.ts';
import type { QueueEntry } from '../../protocol/index.ts';
import { gitText } from '../git/run-git.ts';
import type { Lander } from '../landing/create-lander.ts';
import type { LandOutcome } from '../landing/land-outcome.ts';
import type { LanderOptions } from '../landing/lander-options.ts';
import { createLanderContext, elapsed, emitLanding, type LandingState } from '../landing/landing-state.ts';
import { rebaseOntoTip } from '../landing/rebase-onto-tip.ts';
import { runLanding } from '../landing/run-landing.ts';
import { settleLanding } from '../landing/settle-landing.ts';
import type { QueueSettings } from './queue-settings.ts';

/** The part of the board a worker's queue lander uses. */
export type QueueLandingBoard = LanderOptions['board'] &
  Pick<TaskBoard, 'submitToQueue' | 'getQueueEntry' | 'getCheckRun'>;

/** Options of createQueueLander. */
export interface QueueLanderOptions extends Omit<LanderOptions, 'board' | 'checks' | 'concurrentAttempts'> {
  board: QueueLandingBoard;
  queue: Pick<QueueSettings, 'pollIntervalMs'>;
}

// a change whose conflict vanished when the tip moved on is submitted again, this many times
const maxSubmissions = 10;

/**
 * A lander for `queue` mode: it commits the worktree's change as one commit, pushes it to a ref of its
 * own on the hub, submits it to the merge queue on the board and waits for the queue's verdict. The
 * queue owns the branch; the worker never pushes to it. A conflict is turned into the same report and
 * worktree markers a direct landing gives, so the worker resolves it the same way.
 */
export function createQueueLander(options: QueueLanderOptions): Lander {
  const lander = createLanderContext(options);
  return {
    land: (request) => runLanding(lander, request, (landing) => submitUntilSettled(landing, options)),
    gateUsage: () => lander.gate.usage(),
  };
}

/** Submits the change and waits for the queue, again while a reported conflict turns out gone. */
async function submitUntilSettled(landing: LandingState, options: QueueLanderOptions): Promise<LandOutcome> {
  const { change } = landing;
  if (change.type === 'empty') {
    const tip = await options.hub.tip(landing.request.signal);
    return { type: 'nothing-to-land', reason: 'no-changes', tip };
  }
  while (landing.attempts < maxSubmissions) {
    landing.attempts++;
    const entry = await submit(landing, options, change);
    if (entry === null) return staleFence(landing);
    const settled = await waitForEntry(entry, options, landing.request.signal);
    const outcome = await outcomeOf(landing, options, settled);
    if (outcome !== null) return outcome;
  }
  return { type: 'gave-up', attempts: landing.attempts, durationMs: elapsed(landing) };
}

/** Pushes the change to its queue ref and submits it; null when the lease is gone. */
async function submit(
  landing: LandingState,
  options: QueueLanderOptions,
  change: Extract<LandingState['change'], { type: 'prepared' }>,
): Promise<QueueEntry | null> {
  const { git, board } = options;
  const { task, signal } = landing.request;
  const ref = `refs/cadre/queue/${task.taskId}/${task.fence}`;
  await git(['push', '--quiet', '--force', '--no-verify', 'origin', `${change.commit}:${ref}`], {
    cwd: landing.cwd,
    signal,
  });
  emitLanding(landing, {
    type: 'landing.attempt',
    attempt: landing.attempts,
    tip: change.base,
    files: landing.files,
  });
  try {
    return await board.submitToQueue(
      {
        runId: task.runId,
        taskId: task.taskId,
        fence: task.fence,
        agentId: task.agentId,
        commit: change.commit,
        base: change.base,
        ref,
        files: landing.files,
      },
      { signal },
    );
  } catch (error) {
    if (error instanceof StaleFenceError) return null;
    throw error;
  }
}

/** Reads the entry until the queue settles it; an abort (the agent stopped) rejects. */
async function waitForEntry(entry: QueueEntry, options: QueueLanderOptions, signal: AbortSignal) {
  let current = entry;
  const sleep = options.sleep ?? createLanderContext(options).sleep;
  while (current.status === 'queued') {
    await sleep(options.queue.pollIntervalMs, signal);
    current = await options.board.getQueueEntry(entry.id, { signal });
  }
  return current;
}

/** What the queue's verdict means for the worker; null to submit again. */
async function outcomeOf(
  landing: LandingState,
  options: QueueLanderOptions,
  entry: QueueEntry,
): Promise<LandOutcome | null> {
  const { git } = options;
  const { cwd } = landing;
  const { signal } = landing.request;
  const outcome = entry.outcome;
  if (outcome === null) return null;
  switch (outcome.type) {
    case 'landed':
      await git(['reset', '--quiet', '--hard', outcome.commit], { cwd, signal });
      await git(['update-ref', landing.trackingRef, outcome.commit], { cwd, signal });
      return {
        type: 'landed',
        commit: outcome.commit,
        attempts: landing.attempts,
        durationMs: elapsed(landing),
        files: landing.files,
      };
    case 'already-landed':
      return {
        type: 'already-landed',
        commit: outcome.commit,
        source: 'board',
        attempts: landing.attempts,
        durationMs: elapsed(landing),
      };
    case 'already-on-branch':
      return settleLanding(landing, { type: 'already-on-branch', tip: outcome.tip });
    case 'stale-fence':
      return { type: 'stale-fence', pushed: false, commit: null, message: outcome.message };
    case 'withdrawn':
      return { type: 'gave-up', attempts: landing.attempts, durationMs: elapsed(landing) };
    case 'checks-failed':
      return checksFailed(landing, options, outcome.checkRunId);
    case 'conflict':
      return conflictOnTip(landing, options);
  }
}

/** The failing check run's output, as a direct landing's checks failure reads. */
async function checksFailed(
  landing: LandingState,
  options: QueueLanderOptions,
  checkRunId: string,
): Promise<LandOutcome> {
  const run = await options.board.getCheckRun(checkRunId, { signal: landing.request.signal });
  const checks =
    run.result === 'timed-out'
      ? { type: 'timed-out' as const, output: run.output, durationMs: run.durationMs }
      : {
          type: 'failed' as const,
          exitCode: null,
          signal: null,
          output: run.output,
          durationMs: run.durationMs,
        };
  return { type: 'checks-failed', checks, attempts: landing.attempts };
}

/**
 * The queue found the change conflicting with the tip: rebase it onto the tip here, in the worker's
 * own clone, for the report and the markers. When the tip moved on and the conflict is gone, null
 * submits the change again.
 */
async function conflictOnTip(
  landing: LandingState,
  options: QueueLanderOptions,
): Promise<LandOutcome | null> {
  const { git, hub } = options;
  const { cwd, trackingRef } = landing;
  const { signal } = landing.request;
  const change = landing.change;
  if (change.type !== 'prepared') return null;
  await git(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${hub.branch}:${trackingRef}`], {
    cwd,
    signal,
  });
  const tip = await gitText(git, ['rev-parse', '--verify', trackingRef], { cwd, signal });
  const rebased = await rebaseOntoTip(landing, change, tip);
  if (rebased.type === 'candidate') return null;
  return settleLanding(landing, rebased);
}

function staleFence(landing: LandingState): LandOutcome {
  const { task } = landing.request;
  return {
    type: 'stale-fence',
    pushed: false,
    commit: null,
    message: `task ${task.taskId}: the lease with fence ${task.fence} is no longer held`,
  };
}
