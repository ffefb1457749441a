import type { ConflictReport } from './conflict-report.ts';
import type { ChecksResult } from './run-checks.ts';

/** What a call to `land` did. Every branch but `landed` and `already-landed` left the branch as it was. */
export type LandOutcome =
  | { type: 'landed'; commit: string; attempts: number; durationMs: number; files: string[] }
  /** The task was on the branch already (an earlier attempt pushed and died); nothing was pushed now. */
  | {
      type: 'already-landed';
      commit: string;
      source: 'board' | 'branch';
      attempts: number;
      durationMs: number;
    }
  /** The change and the branch changed the same lines; the worktree now sits on the tip with markers to resolve. */
  | { type: 'conflict'; report: ConflictReport; attempts: number; durationMs: number }
  /** The lease is gone. `pushed` is true when the push went through before the board refused the record. */
  | { type: 'stale-fence'; pushed: boolean; commit: string | null; message: string }
  /**
   * No commit to push: the worktree has no change against the tip it last saw (`no-changes`), or its
   * change rebased onto the tip changes nothing because the branch holds it already
   * (`already-on-branch`: another task made the same change). `tip` is the branch tip it was compared with.
   */
  | { type: 'nothing-to-land'; reason: 'no-changes' | 'already-on-branch'; tip: string }
  /** Files still hold `<<<<<<<` markers from an earlier conflict. */
  | { type: 'unresolved-conflict'; files: string[] }
  | { type: 'checks-failed'; checks: ChecksResult; attempts: number }
  /** The hub refused the push for a reason other than a race (a server-side hook, permissions). */
  | { type: 'push-refused'; reason: string; attempts: number }
  /** Every attempt lost the race to other landers. */
  | { type: 'gave-up'; attempts: number; durationMs: number };

/** Where the lander is, for callers that need to act between steps (tests that kill a lander there). */
export type LandingStep = 'committed' | 'rebased' | 'pushing' | 'pushed';

/** What identifies a landing in every event. */
interface LandingEventBase {
  runId: string;
  taskId: string;
  fence: number;
  agentId: string;
  /** Milliseconds since `land` was called. */
  elapsedMs: number;
}

/** Everything a lander reports; the types double as the board event types. */
export type LandingEvent =
  | (LandingEventBase & { type: 'landing.attempt'; attempt: number; tip: string; files: string[] })
  | (LandingEventBase & { type: 'landing.retry'; attempt: number; reason: string; delayMs: number })
  | (LandingEventBase & { type: 'landing.conflict'; attempt: number; files: string[]; tip: string })
  | (LandingEventBase & {
      type: 'landing.landed';
      commit: string;
      source: 'push' | 'board' | 'branch';
      attempts: number;
      files: string[];
    })
  | (LandingEventBase & {
      type: 'landing.not-landed';
      outcome: LandOutcome['type'];
      attempts: number;
      detail: string;
    });
