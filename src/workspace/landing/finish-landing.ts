import type { LandOutcome } from './land-outcome.ts';
import { emitLanding, type LandingCall, type LandingEventBody } from './landing-state.ts';

/** Reports how the landing ended (landed or why not) and hands the outcome back. */
export function finishLanding(call: LandingCall, outcome: LandOutcome): LandOutcome {
  emitLanding(call, endEvent(outcome, call.attempts));
  return outcome;
}

/** The event that closes a landing: where it landed from, or why it did not. */
function endEvent(outcome: LandOutcome, attempts: number): LandingEventBody {
  switch (outcome.type) {
    case 'landed':
      return {
        type: 'landing.landed',
        commit: outcome.commit,
        source: 'push',
        attempts,
        files: outcome.files,
      };
    case 'already-landed':
      return { type: 'landing.landed', commit: outcome.commit, source: outcome.source, attempts, files: [] };
    case 'conflict':
    case 'stale-fence':
    case 'nothing-to-land':
    case 'unresolved-conflict':
    case 'checks-failed':
    case 'push-refused':
    case 'gave-up':
      return { type: 'landing.not-landed', outcome: outcome.type, attempts, detail: describe(outcome) };
  }
}

/** One line on why a landing did not land, for the event log. */
function describe(outcome: LandOutcome): string {
  switch (outcome.type) {
    case 'landed':
    case 'already-landed':
      return outcome.commit;
    case 'conflict':
      return `conflict in ${outcome.report.files.map((file) => file.path).join(', ')}`;
    case 'stale-fence':
      return outcome.message;
    case 'nothing-to-land':
      return outcome.reason === 'already-on-branch'
        ? `the change is on the branch already (tip ${outcome.tip})`
        : 'the worktree has no changes against the branch';
    case 'unresolved-conflict':
      return `conflict markers left in ${outcome.files.join(', ')}`;
    case 'checks-failed':
      return `checks ${outcome.checks.type}`;
    case 'push-refused':
      return outcome.reason;
    case 'gave-up':
      return `lost the push race ${outcome.attempts} times`;
  }
}
