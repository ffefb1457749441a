import type { TaskBoard } from '../../board/index.ts';
import type { Git } from '../git/run-git.ts';
import type { Hub } from '../hub/hub.ts';
import type { BackoffOptions } from './backoff.ts';
import type { LandingEvent, LandingStep } from './land-outcome.ts';
import type { ChecksConfig } from './run-checks.ts';
import type { TaskTrailers } from './task-trailers.ts';

/** The part of the board a lander uses: the landing record and the lease's fence. */
export type LandingBoard = Pick<TaskBoard, 'getLanding' | 'getTask' | 'recordLanding'>;

/** Options of createLander. */
export interface LanderOptions {
  hub: Pick<Hub, 'branch' | 'seedCommit' | 'location' | 'tip'>;
  board: LandingBoard;
  git: Git;
  /** Attempts (fetch, rebase, push) before giving up on a busy branch; default 30. */
  maxAttempts?: number;
  /** Wait between attempts after losing a push race; default 20 ms doubling up to 2 s, jittered. */
  backoff?: BackoffOptions;
  /** Landers of this process allowed in the fetch-to-push section at once; default 1. See createAttemptGate. */
  concurrentAttempts?: number;
  /** The project's checks, run when a land request asks for them. */
  checks?: ChecksConfig;
  /** Receives every attempt, retry, conflict and outcome; the caller stores them (e.g. on the board). */
  onEvent?: (event: LandingEvent) => void;
  /** Awaited at each step; a seam for tests that stop a lander between steps. */
  onStep?: (step: LandingStep, signal: AbortSignal) => Promise<void> | void;
  clock?: () => number;
  random?: () => number;
  sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
}

/** One call to land a task's change. */
export interface LandRequest {
  /** The worktree holding the change (committed or not). */
  worktree: { path: string };
  task: TaskTrailers;
  /** The commit message; cadre's trailers are appended. */
  message: string;
  /** Run the configured checks on the rebased change before pushing. */
  runChecks?: boolean;
  signal: AbortSignal;
}
