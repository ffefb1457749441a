import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { HubLocation } from '../hub/hub.ts';
import { type AttemptGate, createAttemptGate } from './attempt-gate.ts';
import type { BackoffOptions } from './backoff.ts';
import type { MergeTreeOutput } from './conflict-report.ts';
import type { LandingEvent, LandingStep, LandOutcome } from './land-outcome.ts';
import type { LanderOptions, LandRequest } from './lander-options.ts';
import type { PreparedChange } from './prepare-change.ts';
import { buildCommitMessage } from './task-trailers.ts';

/** What one lander shares between its landings: the options with their defaults, the gate, the tree cache. */
export interface LanderContext {
  readonly options: LanderOptions;
  readonly clock: () => number;
  readonly random: () => number;
  readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  readonly maxAttempts: number;
  readonly backoff: BackoffOptions;
  readonly gate: AttemptGate;
  /**
   * Trees of the commits this lander made: the next landing usually rebases onto one of them, and
   * knowing its tree saves a git process inside the gate, where landings wait on each other.
   */
  readonly treesOfCommits: Map<string, string>;
}

/** One call to `land` before its change is prepared: enough to report an outcome. */
export interface LandingCall {
  readonly lander: LanderContext;
  readonly request: LandRequest;
  readonly cwd: string;
  readonly started: number;
  /** The commit message with cadre's trailers. */
  readonly message: string;
  /** Attempts begun so far; every outcome reports it. */
  attempts: number;
}

/** One call to `land` once its change is prepared: what the attempts read, and what they move on. */
export interface LandingState extends LandingCall {
  readonly change: Extract<PreparedChange, { type: 'prepared' | 'empty' }>;
  readonly files: string[];
  readonly trackingRef: string;
  /**
   * A clone that borrows the local hub's objects sees every pushed commit at once: reading the hub's ref
   * is a fetch without the transfer; other clones (a remote hub) fetch.
   */
  readonly borrowsHubObjects: boolean;
  /** Commits up to here have been searched for the task's trailer; later attempts search only what is new. */
  scanned: string | null;
}

/** How one attempt inside the gate ended; all but `raced` settle the landing. */
export type AttemptResult =
  | { type: 'done'; outcome: LandOutcome }
  | { type: 'raced'; reason: string }
  | { type: 'pushed'; commit: string }
  | { type: 'conflicted'; tip: string; base: string; merge: MergeTreeOutput }
  | { type: 'already-on-branch'; tip: string };

/** Distributes an event without the per-landing fields each call site would repeat. */
export type LandingEventBody = LandingEvent extends infer Event
  ? Event extends LandingEvent
    ? Omit<Event, 'runId' | 'taskId' | 'fence' | 'agentId' | 'elapsedMs'>
    : never
  : never;

/** The lander-wide context, with every option's default filled in. */
export function createLanderContext(options: LanderOptions): LanderContext {
  return {
    options,
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((milliseconds, signal) => delay(milliseconds, undefined, { signal })),
    maxAttempts: options.maxAttempts ?? 30,
    backoff: options.backoff ?? { initialMs: 20, maxMs: 2000 },
    gate: createAttemptGate(options.concurrentAttempts ?? 1),
    treesOfCommits: new Map(),
  };
}

/** Starts the clock of one call to `land`. */
export function beginLanding(lander: LanderContext, request: LandRequest): LandingCall {
  return {
    lander,
    request,
    cwd: request.worktree.path,
    started: lander.clock(),
    message: buildCommitMessage(request.message, request.task),
    attempts: 0,
  };
}

/** Adds the prepared change, and what the attempts need to know about the clone, to the call. */
export async function readyLanding(call: LandingCall, change: LandingState['change']): Promise<LandingState> {
  const { hub } = call.lander.options;
  return Object.assign(call, {
    change,
    files: change.type === 'prepared' ? change.files : [],
    trackingRef: `refs/remotes/origin/${hub.branch}`,
    scanned: hub.seedCommit,
    borrowsHubObjects: await sharesObjects(call.cwd, hub.location),
  });
}

/** Milliseconds since `land` was called. */
export function elapsed(call: LandingCall): number {
  return call.lander.clock() - call.started;
}

/** Reports a landing event with the task's fields and the elapsed time filled in. */
export function emitLanding(call: LandingCall, body: LandingEventBody): void {
  call.lander.options.onEvent?.({ ...call.request.task, elapsedMs: elapsed(call), ...body } as LandingEvent);
}

/** Lets a test act at a step (kill the lander there); awaited, so it can hold the landing. */
export async function reachStep(call: LandingCall, step: LandingStep): Promise<void> {
  await call.lander.options.onStep?.(step, call.request.signal);
}

/** An attempt that settled the landing with this outcome. */
export function done(outcome: LandOutcome): Extract<AttemptResult, { type: 'done' }> {
  return { type: 'done', outcome };
}

/** Whether the clone at `cwd` borrows the objects of a local hub through its alternates file. */
async function sharesObjects(cwd: string, location: HubLocation): Promise<boolean> {
  if (location.type !== 'local') return false;
  const alternates = await readFile(join(cwd, '.git', 'objects', 'info', 'alternates'), 'utf8').catch(
    () => '',
  );
  return alternates.split('\n').some((line) => resolve(line.trim()) === resolve(location.path, 'objects'));
}
