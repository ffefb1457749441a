import type { GateUsage } from './attempt-gate.ts';
import { backoffDelay } from './backoff.ts';
import { attemptLanding } from './land-attempt.ts';
import type { LandOutcome } from './land-outcome.ts';
import type { LanderOptions, LandRequest } from './lander-options.ts';
import { createLanderContext, elapsed, emitLanding, type LandingState } from './landing-state.ts';
import { runLanding } from './run-landing.ts';
import { settleLanding } from './settle-landing.ts';

/** Lands tasks' changes on the shared branch; one per hub, shared by all workers of a process. */
export interface Lander {
  /** Commits, rebases onto the tip, optionally checks, and pushes, retrying lost races; never throws on a conflict. */
  land(request: LandRequest): Promise<LandOutcome>;
  /** How long this lander's fetch-rebase-push section was held and waited for, since it was made. */
  gateUsage(): GateUsage;
}

/**
 * Makes a lander. Each attempt fetches the branch, checks that the task has not landed and the
 * lease is held, rebases the task's single commit onto the tip with `git merge-tree` (a three-way
 * merge that touches no files, so a lander killed mid-rebase leaves no rebase half-done), runs the
 * checks when asked, and pushes fast-forward only. A lost push race is retried with jittered
 * backoff; a conflict ends the call with a report.
 */
export function createLander(options: LanderOptions): Lander {
  const lander = createLanderContext(options);
  return {
    land: (request) => runLanding(lander, request, attemptUntilSettled),
    gateUsage: () => lander.gate.usage(),
  };
}

/**
 * Attempts inside the gate until one settles the landing, then settles it outside the gate; a lost push
 * race waits a jittered backoff and tries again, up to the lander's limit.
 */
async function attemptUntilSettled(landing: LandingState): Promise<LandOutcome> {
  const { gate, maxAttempts } = landing.lander;
  while (landing.attempts < maxAttempts) {
    landing.attempts++;
    const result = await gate.run(() => attemptLanding(landing), landing.request.signal);
    if (result.type !== 'raced') return settleLanding(landing, result);
    if (landing.attempts >= maxAttempts) break;
    await backOff(landing, result.reason);
  }
  return { type: 'gave-up', attempts: landing.attempts, durationMs: elapsed(landing) };
}

/** Waits before the next attempt after a lost race, longer each time, and says so. */
async function backOff(landing: LandingState, reason: string): Promise<void> {
  const { backoff, random, sleep } = landing.lander;
  const delayMs = backoffDelay(landing.attempts, backoff, random);
  emitLanding(landing, { type: 'landing.retry', attempt: landing.attempts, reason, delayMs });
  await sleep(delayMs, landing.request.signal);
}
