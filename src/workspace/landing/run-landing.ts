import { finishLanding } from './finish-landing.ts';
import type { LandOutcome } from './land-outcome.ts';
import type { LandRequest } from './lander-options.ts';
import {
  beginLanding,
  type LanderContext,
  type LandingState,
  reachStep,
  readyLanding,
} from './landing-state.ts';
import { prepareChange } from './prepare-change.ts';

/**
 * One call to `land`, whichever way changes reach the branch: the worktree's change is squashed into
 * one commit (files still marked from a conflict are refused), `settle` takes it to the branch (directly,
 * or through the merge queue), and the end is reported.
 */
export async function runLanding(
  lander: LanderContext,
  request: LandRequest,
  settle: (landing: LandingState) => Promise<LandOutcome>,
): Promise<LandOutcome> {
  const call = beginLanding(lander, request);
  const { git, hub } = lander.options;
  const change = await prepareChange({
    git,
    cwd: call.cwd,
    branch: hub.branch,
    message: call.message,
    signal: request.signal,
  });
  if (change.type === 'unresolved-conflict') return finishLanding(call, change);
  if (change.type === 'prepared') await reachStep(call, 'committed');
  const landing = await readyLanding(call, change);
  return finishLanding(landing, await settle(landing));
}
