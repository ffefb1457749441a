import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { StaleFenceError } from '../../board/index.ts';
import { gitText } from '../git/run-git.ts';
import type { HubLocation } from '../hub/hub.ts';
import { leaveConflictInWorktree } from './apply-conflict.ts';
import { createAttemptGate } from './attempt-gate.ts';
import { backoffDelay } from './backoff.ts';
import { checkPriorLanding } from './check-prior-landing.ts';
import { buildConflictReport, type MergeTreeOutput, parseMergeTree } from './conflict-report.ts';
import type { LandingEvent, LandOutcome } from './land-outcome.ts';
import type { LanderOptions, LandRequest } from './lander-options.ts';
import { type PreparedChange, prepareChange } from './prepare-change.ts';
import { pushChange } from './push-change.ts';
import { runChecks } from './run-checks.ts';
import { buildCommitMessage } from './task-trailers.ts';

/** Lands tasks' changes on the shared branch; one per hub, shared by all workers of a process. */
export interface Lander {
  /** Commits, rebases onto the tip, optionally checks, and pushes, retrying lost races; never throws on a conflict. */
  land(request: LandRequest): Promise<LandOutcome>;
}

type AttemptResult =
  | { type: 'done'; outcome: LandOutcome }
  | { type: 'raced'; reason: string }
  | { type: 'pushed'; commit: string }
  | { type: 'conflicted'; tip: string; base: string; merge: MergeTreeOutput }
  | { type: 'already-on-branch'; tip: string };

/** Distributes an event without the per-landing fields each call site would repeat. */
type EventBody = LandingEvent extends infer Event
  ? Event extends LandingEvent
    ? Omit<Event, 'runId' | 'taskId' | 'fence' | 'agentId' | 'elapsedMs'>
    : never
  : never;

/**
 * Makes a lander. Each attempt fetches the branch, checks that the task has not landed and the
 * lease is held, rebases the task's single commit onto the tip with `git merge-tree` (a three-way
 * merge that touches no files, so a lander killed mid-rebase leaves no rebase half-done), runs the
 * checks when asked, and pushes fast-forward only. A lost push race is retried with jittered
 * backoff; a conflict ends the call with a report.
 */
export function createLander(options: LanderOptions): Lander {
  const { git, board, hub } = options;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((milliseconds, signal) => delay(milliseconds, undefined, { signal }));
  const maxAttempts = options.maxAttempts ?? 30;
  const backoff = options.backoff ?? { initialMs: 20, maxMs: 2000 };
  const gate = createAttemptGate(options.concurrentAttempts ?? 1);
  // Trees of the commits this lander made: the next landing usually rebases onto one of them, and
  // knowing its tree saves a git process inside the gate, where landings wait on each other.
  const treesOfCommits = new Map<string, string>();
  const rememberTree = (commit: string, tree: string) => {
    treesOfCommits.set(commit, tree);
    if (treesOfCommits.size > 256) treesOfCommits.delete(treesOfCommits.keys().next().value as string);
  };
  const step = async (name: Parameters<NonNullable<LanderOptions['onStep']>>[0], signal: AbortSignal) => {
    await options.onStep?.(name, signal);
  };

  return {
    async land(request) {
      const { task, signal } = request;
      const cwd = request.worktree.path;
      const started = clock();
      const elapsed = () => clock() - started;
      const emit = (body: EventBody) =>
        options.onEvent?.({ ...task, elapsedMs: elapsed(), ...body } as LandingEvent);
      const message = buildCommitMessage(request.message, task);
      let attempts = 0;
      const finish = (outcome: LandOutcome): LandOutcome => {
        if (outcome.type === 'landed') {
          emit({
            type: 'landing.landed',
            commit: outcome.commit,
            source: 'push',
            attempts,
            files: outcome.files,
          });
        } else if (outcome.type === 'already-landed') {
          emit({
            type: 'landing.landed',
            commit: outcome.commit,
            source: outcome.source,
            attempts,
            files: [],
          });
        } else {
          emit({ type: 'landing.not-landed', outcome: outcome.type, attempts, detail: describe(outcome) });
        }
        return outcome;
      };

      const prepared = await prepareChange({ git, cwd, branch: hub.branch, message, signal });
      if (prepared.type === 'unresolved-conflict') return finish(prepared);
      if (prepared.type === 'prepared') await step('committed', signal);
      const files = prepared.type === 'prepared' ? prepared.files : [];
      const trackingRef = `refs/remotes/origin/${hub.branch}`;
      // commits up to `scanned` have been searched for the task's trailer; later attempts search only what is new
      let scanned = hub.seedCommit;

      const attempt = async (): Promise<AttemptResult> => {
        const tip = await readTip();
        const range = scanned ? [tip, `^${scanned}`] : [tip];
        const prior = await checkPriorLanding({
          board,
          git,
          cwd,
          taskId: task.taskId,
          fence: task.fence,
          range,
          signal,
        });
        scanned = tip;
        switch (prior.type) {
          case 'landed':
            return done({
              type: 'already-landed',
              commit: prior.commit,
              source: prior.source,
              attempts,
              durationMs: elapsed(),
            });
          case 'stale-fence':
            return done({ type: 'stale-fence', pushed: false, commit: null, message: prior.message });
          case 'none':
            break;
        }
        if (prepared.type === 'empty') return done({ type: 'nothing-to-land', reason: 'no-changes', tip });
        emit({ type: 'landing.attempt', attempt: attempts, tip, files });
        const candidate = await rebase(prepared, tip);
        if (candidate.type === 'conflicted' || candidate.type === 'already-on-branch') return candidate;
        await step('rebased', signal);
        if (request.runChecks && options.checks) {
          await git(['reset', '--quiet', '--hard', candidate.commit], { cwd, signal });
          // the worktree now builds on this tip; a later landing must squash from here, not from the old base
          await git(['update-ref', trackingRef, tip], { cwd, signal });
          const checks = await runChecks(options.checks, cwd, signal);
          if (checks.type !== 'passed') return done({ type: 'checks-failed', checks, attempts });
        }
        await step('pushing', signal);
        const pushed = await pushChange({ git, cwd, commit: candidate.commit, branch: hub.branch, signal });
        switch (pushed.type) {
          case 'raced':
            return pushed;
          case 'refused':
            return done({ type: 'push-refused', reason: pushed.reason, attempts });
          case 'pushed':
            break;
        }
        return { type: 'pushed', commit: candidate.commit };
      };

      /** After the push, outside the gate: record the landing and bring the worktree to the landed commit. */
      const record = async (commit: string): Promise<LandOutcome> => {
        await step('pushed', signal);
        await git(['reset', '--quiet', '--hard', commit], { cwd, signal });
        try {
          const recorded = await board.recordLanding(
            { taskId: task.taskId, fence: task.fence, commit },
            { signal },
          );
          return { type: 'landed', commit: recorded.landing.commit, attempts, durationMs: elapsed(), files };
        } catch (error) {
          if (!(error instanceof StaleFenceError)) throw error;
          // the lease was lost during the push: the commit is on the branch, and whoever holds the task now records it
          return { type: 'stale-fence', pushed: true, commit, message: error.message };
        }
      };

      /**
       * Outside the gate: the change is on the branch already (a duplicate task landed it), so nothing is
       * pushed and the worktree moves onto the tip, which holds everything the worker did.
       */
      const settleOnTip = async (tip: string): Promise<LandOutcome> => {
        await git(['reset', '--quiet', '--hard', tip], { cwd, signal });
        await git(['update-ref', trackingRef, tip], { cwd, signal });
        return { type: 'nothing-to-land', reason: 'already-on-branch', tip };
      };

      /** Outside the gate: the report, and the worktree moved onto the tip with the markers to resolve. */
      const reportConflict = async (
        conflict: Extract<AttemptResult, { type: 'conflicted' }>,
      ): Promise<LandOutcome> => {
        const { tip, base, merge } = conflict;
        const report = await buildConflictReport({ git, cwd, signal, merge, base, tip });
        await leaveConflictInWorktree({ git, cwd, tip, mergedTree: merge.tree, signal });
        // the next landing is based on this tip
        await git(['update-ref', trackingRef, tip], { cwd, signal });
        const conflictFiles = report.files.map((file) => file.path);
        emit({ type: 'landing.conflict', attempt: attempts, tip, files: conflictFiles });
        return { type: 'conflict', report, attempts, durationMs: elapsed() };
      };

      // a clone that borrows the local hub's objects sees every pushed commit at once: reading the hub's ref is
      // a fetch without the transfer; other clones (a remote hub) fetch
      const borrowsHubObjects = await sharesObjects(cwd, hub.location);
      const readTip = async () => {
        if (borrowsHubObjects) return hub.tip(signal);
        await git(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${hub.branch}:${trackingRef}`], {
          cwd,
          signal,
        });
        return gitText(git, ['rev-parse', '--verify', trackingRef], { cwd, signal });
      };

      const rebase = async (
        change: Extract<PreparedChange, { type: 'prepared' }>,
        tip: string,
      ): Promise<
        | Extract<AttemptResult, { type: 'conflicted' | 'already-on-branch' }>
        | { type: 'candidate'; commit: string }
      > => {
        if (tip === change.base) return { type: 'candidate', commit: change.commit };
        const merge = await git(
          ['-c', 'merge.conflictStyle=diff3', 'merge-tree', '--write-tree', '-z', tip, change.commit],
          {
            cwd,
            signal,
            acceptExitCodes: [1],
          },
        );
        const parsed = parseMergeTree(merge.stdout);
        if (merge.exitCode === 1) return { type: 'conflicted', tip, merge: parsed, base: change.base };
        // checked after the rebase, not before: a change made on an older base may be on the tip already
        const tipTree =
          treesOfCommits.get(tip) ?? (await gitText(git, ['rev-parse', `${tip}^{tree}`], { cwd, signal }));
        if (parsed.tree === tipTree) return { type: 'already-on-branch', tip };
        const commit = await gitText(git, ['commit-tree', parsed.tree, '-p', tip, '-F', '-'], {
          cwd,
          signal,
          input: message,
        });
        rememberTree(commit, parsed.tree);
        return { type: 'candidate', commit };
      };

      while (attempts < maxAttempts) {
        attempts++;
        const result = await gate.run(attempt, signal);
        if (result.type === 'done') return finish(result.outcome);
        if (result.type === 'pushed') return finish(await record(result.commit));
        if (result.type === 'conflicted') return finish(await reportConflict(result));
        if (result.type === 'already-on-branch') return finish(await settleOnTip(result.tip));
        if (attempts >= maxAttempts) break;
        const delayMs = backoffDelay(attempts, backoff, random);
        emit({ type: 'landing.retry', attempt: attempts, reason: result.reason, delayMs });
        await sleep(delayMs, signal);
      }
      return finish({ type: 'gave-up', attempts, durationMs: elapsed() });
    },
  };
}

/** Whether the clone at `cwd` borrows the objects of a local hub through its alternates file. */
async function sharesObjects(cwd: string, location: HubLocation): Promise<boolean> {
  if (location.type !== 'local') return false;
  const alternates = await readFile(join(cwd, '.git', 'objects', 'info', 'alternates'), 'utf8').catch(
    () => '',
  );
  return alternates.split('\n').some((line) => resolve(line.trim()) === resolve(location.path, 'objects'));
}

function done(outcome: LandOutcome): Extract<AttemptResult, { type: 'done' }> {
  return { type: 'done', outcome };
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
