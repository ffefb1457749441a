import { gitText } from '../git/run-git.ts';
import { checkPriorLanding } from './check-prior-landing.ts';
import {
  type AttemptResult,
  done,
  elapsed,
  emitLanding,
  type LandingState,
  reachStep,
} from './landing-state.ts';
import { pushChange } from './push-change.ts';
import { rebaseOntoTip } from './rebase-onto-tip.ts';
import { runChecks } from './run-checks.ts';

/**
 * One attempt, inside the gate: read the tip, stop if the task landed already, rebase the change onto
 * the tip, check it when asked, and push it fast-forward only.
 */
export async function attemptLanding(landing: LandingState): Promise<AttemptResult> {
  const tip = await readTip(landing);
  const prior = await checkPrior(landing, tip);
  if (prior !== null) return prior;
  const { change } = landing;
  if (change.type === 'empty') return done({ type: 'nothing-to-land', reason: 'no-changes', tip });
  emitLanding(landing, { type: 'landing.attempt', attempt: landing.attempts, tip, files: landing.files });
  const candidate = await rebaseOntoTip(landing, change, tip);
  if (candidate.type === 'conflicted' || candidate.type === 'already-on-branch') return candidate;
  await reachStep(landing, 'rebased');
  const failed = await checkCandidate(landing, candidate.commit, tip);
  if (failed !== null) return failed;
  await reachStep(landing, 'pushing');
  return push(landing, candidate.commit);
}

/** The branch's tip: the hub's ref when the clone borrows its objects, else a fetch into the tracking ref. */
async function readTip(landing: LandingState): Promise<string> {
  const { git, hub } = landing.lander.options;
  const { cwd, trackingRef } = landing;
  const { signal } = landing.request;
  if (landing.borrowsHubObjects) return hub.tip(signal);
  await git(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${hub.branch}:${trackingRef}`], {
    cwd,
    signal,
  });
  return gitText(git, ['rev-parse', '--verify', trackingRef], { cwd, signal });
}

/** Ends the attempt when the task is on the branch already or the lease is gone; null to go on. */
async function checkPrior(landing: LandingState, tip: string): Promise<AttemptResult | null> {
  const { board, git } = landing.lander.options;
  const { taskId, fence } = landing.request.task;
  const { scanned } = landing;
  const range = scanned ? [tip, `^${scanned}`] : [tip];
  const { signal } = landing.request;
  const prior = await checkPriorLanding({ board, git, cwd: landing.cwd, taskId, fence, range, signal });
  landing.scanned = tip;
  switch (prior.type) {
    case 'landed': {
      const { commit, source } = prior;
      return done({
        type: 'already-landed',
        commit,
        source,
        attempts: landing.attempts,
        durationMs: elapsed(landing),
      });
    }
    case 'stale-fence':
      return done({ type: 'stale-fence', pushed: false, commit: null, message: prior.message });
    case 'none':
      return null;
  }
}

/** Runs the checks on the rebased change when the request asks for them; a failure ends the attempt. */
async function checkCandidate(
  landing: LandingState,
  commit: string,
  tip: string,
): Promise<AttemptResult | null> {
  const { git, checks } = landing.lander.options;
  if (!landing.request.runChecks || !checks) return null;
  const { cwd } = landing;
  const { signal } = landing.request;
  await git(['reset', '--quiet', '--hard', commit], { cwd, signal });
  // the worktree now builds on this tip; a later landing must squash from here, not from the old base
  await git(['update-ref', landing.trackingRef, tip], { cwd, signal });
  const result = await runChecks(checks, cwd, signal);
  if (result.type !== 'passed')
    return done({ type: 'checks-failed', checks: result, attempts: landing.attempts });
  return null;
}

/** Pushes fast-forward only; a lost race is retried by the caller, a refusal ends the landing. */
async function push(landing: LandingState, commit: string): Promise<AttemptResult> {
  const { git, hub } = landing.lander.options;
  const { signal } = landing.request;
  const pushed = await pushChange({ git, cwd: landing.cwd, commit, branch: hub.branch, signal });
  switch (pushed.type) {
    case 'raced':
      return pushed;
    case 'refused':
      return done({ type: 'push-refused', reason: pushed.reason, attempts: landing.attempts });
    case 'pushed':
      return { type: 'pushed', commit };
  }
}
