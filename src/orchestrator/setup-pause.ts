import { setupPausedEventType } from '../protocol/index.ts';
import type { SetupOutcome } from './agent-runner.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';
import { setRunStatus } from './run-status.ts';

/** The event a run records when failing setups paused it (in the event catalog). */
export { setupPausedEventType };

/**
 * Counts worktree setups that failed in a row, across every agent of this process. At the limit the
 * run pauses (on the board, so joined workers hold too) with a message that says what to fix: a
 * setup that fails for one task fails for all, and spending every task's attempts on it would turn
 * an environment problem into failed work.
 */
export function createSetupTracker(
  deps: FleetDependencies,
  state: FleetState,
  runId: string,
): (outcome: SetupOutcome) => void {
  let consecutiveFailures = 0;
  return (outcome) => {
    switch (outcome.type) {
      case 'ready':
        consecutiveFailures = 0;
        return;
      case 'failed': {
        consecutiveFailures++;
        const limit = deps.maxSetupFailures ?? 3;
        if (consecutiveFailures < limit || state.paused) return;
        // after `cadre resume` the count starts again
        consecutiveFailures = 0;
        state.paused = true;
        deps.log?.(
          `paused: worktree setup failed ${limit} times in a row (last: ${outcome.reason}). The environment is broken, not the agents: fix workspace.setup in cadre.config.json or what it needs, then run \`cadre resume\`.`,
        );
        void deps.board
          .appendEvent({
            runId,
            type: setupPausedEventType,
            payload: { consecutiveFailures: limit, reason: outcome.reason },
          })
          .catch(() => {});
        void setRunStatus(deps.board, runId, 'paused').catch((error: unknown) =>
          deps.log?.(`could not mark the run paused: ${(error as Error).message}`),
        );
        return;
      }
      default:
        return assertNever(outcome);
    }
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled setup outcome ${JSON.stringify(value)}`);
}
