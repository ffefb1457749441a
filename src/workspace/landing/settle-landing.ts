import { StaleFenceError } from '../../board/index.ts';
import { leaveConflictInWorktree } from './apply-conflict.ts';
import { buildConflictReport } from './conflict-report.ts';
import type { LandOutcome } from './land-outcome.ts';
import { type AttemptResult, elapsed, emitLanding, type LandingState, reachStep } from './landing-state.ts';

/** An attempt that settled the landing; only a lost race is tried again. */
export type SettledAttempt = Exclude<AttemptResult, { type: 'raced' }>;

/** Outside the gate: what is left to do for an attempt that settled the landing, and its outcome. */
export async function settleLanding(landing: LandingState, result: SettledAttempt): Promise<LandOutcome> {
  switch (result.type) {
    case 'done':
      return result.outcome;
    case 'pushed':
      return record(landing, result.commit);
    case 'conflicted':
      return reportConflict(landing, result);
    case 'already-on-branch':
      return settleOnTip(landing, result.tip);
  }
}

/** After the push: record the landing and bring the worktree to the landed commit. */
async function record(landing: LandingState, commit: string): Promise<LandOutcome> {
  const { git, board } = landing.lander.options;
  const { cwd, files } = landing;
  const { task, signal } = landing.request;
  await reachStep(landing, 'pushed');
  await git(['reset', '--quiet', '--hard', commit], { cwd, signal });
  try {
    const recorded = await board.recordLanding(
      { taskId: task.taskId, fence: task.fence, commit },
      { signal },
    );
    const { attempts } = landing;
    return { type: 'landed', commit: recorded.landing.commit, attempts, durationMs: elapsed(landing), files };
  } catch (error) {
    if (!(error instanceof StaleFenceError)) throw error;
    // the lease was lost during the push: the commit is on the branch, and whoever holds the task now records it
    return { type: 'stale-fence', pushed: true, commit, message: error.message };
  }
}

/**
 * The change is on the branch already (a duplicate task landed it), so nothing is pushed and the
 * worktree moves onto the tip, which holds everything the worker did.
 */
async function settleOnTip(landing: LandingState, tip: string): Promise<LandOutcome> {
  const { git } = landing.lander.options;
  const { cwd } = landing;
  const { signal } = landing.request;
  await git(['reset', '--quiet', '--hard', tip], { cwd, signal });
  await git(['update-ref', landing.trackingRef, tip], { cwd, signal });
  return { type: 'nothing-to-land', reason: 'already-on-branch', tip };
}

/** The report, and the worktree moved onto the tip with the markers to resolve. */
async function reportConflict(
  landing: LandingState,
  conflict: Extract<AttemptResult, { type: 'conflicted' }>,
): Promise<LandOutcome> {
  const { git } = landing.lander.options;
  const { cwd } = landing;
  const { signal } = landing.request;
  const { tip, base, merge } = conflict;
  const report = await buildConflictReport({ git, cwd, signal, merge, base, tip });
  await leaveConflictInWorktree({ git, cwd, tip, mergedTree: merge.tree, signal });
  // the next landing is based on this tip
  await git(['update-ref', landing.trackingRef, tip], { cwd, signal });
  const conflictFiles = report.files.map((file) => file.path);
  emitLanding(landing, { type: 'landing.conflict', attempt: landing.attempts, tip, files: conflictFiles });
  return { type: 'conflict', report, attempts: landing.attempts, durationMs: elapsed(landing) };
}
