import { setMaxListeners } from 'node:events';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createGit,
  createLander,
  createWorktreeManager,
  type GateUsage,
  type Git,
  type Lander,
  type LandingEvent,
  type LandOutcome,
  type LandRequest,
  openLocalHub,
  type Worktree,
} from '../workspace/index.ts';
import { createClaimedTasks } from '../workspace/testing/claimed-tasks.ts';
import { createTempRepo, type TempRepo } from '../workspace/testing/temp-repo.ts';
import { takeBothSides } from './landing-resolution.ts';
import { measureSerialPushes } from './landing-serial-baseline.ts';

/** Options of `cadre bench landing`. */
export interface LandingBenchOptions {
  landers: number;
  /** Fraction (0-1) of landers that also append a line to one shared file, and so conflict. */
  overlap: number;
  signal: AbortSignal;
  /** Landers of the process allowed to race for the tip at once (the lander's in-process queue); default 1. */
  concurrentAttempts?: number;
  /** Progress lines for people (stderr); never part of the JSON. */
  progress?: (line: string) => void;
}

/** The JSON `cadre bench landing` prints. */
export interface LandingBenchResult {
  landers: number;
  overlap: number;
  concurrent_attempts: number;
  landed: number;
  /** Landers whose first landing hit a conflict (each then resolved by taking both sides and landed again). */
  conflicts: number;
  conflict_rate: number;
  /** Conflict outcomes in all: a resolved lander conflicts again when another resolved lander appended first. */
  conflict_events: number;
  resolved: number;
  /** Lost push races, each followed by fetch, rebase and another push. */
  retries: number;
  /** Time from a lander's first `land` call until its change was on the branch, conflict resolution included. */
  p50_ms: number;
  p99_ms: number;
  commits_per_s: number;
  serial_push_commits_per_s: number;
  ratio: number;
  /** Share of the landing window during which the lander's serialising gate (fetch, rebase, push) was held. */
  gate_occupied_share: number;
  /** Share of the landers' summed landing time spent waiting to enter the gate. */
  gate_wait_share: number;
  /** The same changes landed by one lander, one after another: the lander's own cost against plain pushes. */
  one_lander: { commits_per_s: number; p50_ms: number; ratio: number };
  /** Tasks whose trailer appears on more than one commit, and commits not accounted for (both must be 0). */
  duplicate_landings: number;
  history_linear: boolean;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One arm's landings: how many landed, in what time, and what the log shows. */
interface LandingArm {
  landed: number;
  seconds: number;
  durations: number[];
  conflicts: number;
  resolved: number;
  events: LandingEvent[];
  gate: GateUsage;
  duplicates: number;
  linear: boolean;
}

/**
 * Lands `landers` one-file changes at once through the real lander (worktrees cloned from a local
 * hub, SQLite board, exactly-once checks) and compares the throughput with plain serial pushes and
 * with one lander landing the same changes one after another.
 */
export async function runLandingBench(options: LandingBenchOptions): Promise<LandingBenchResult> {
  // hundreds of git calls listen on one signal at a time
  const signal = AbortSignal.any([options.signal]);
  setMaxListeners(0, signal);
  const progress = options.progress ?? (() => {});
  const shared = Array.from({ length: 20 }, (_, index) => `shared line ${index}`).join('\n');
  const repo = createTempRepo({ 'README.md': '# landing bench\n', 'shared.txt': `${shared}\n` });
  const git = createGit();
  try {
    progress(`serial baseline: ${options.landers} commits pushed one after another`);
    const serial = await measureSerialPushes({
      git,
      userRepo: repo.userRepo,
      directory: repo.directory,
      commits: options.landers,
      signal,
    });
    const concurrent = await landArm({
      ...options,
      signal,
      progress,
      git,
      repo,
      name: 'concurrent',
      together: true,
    });
    const one = await landArm({
      ...options,
      signal,
      progress,
      git,
      repo,
      name: 'one-lander',
      together: false,
    });
    const concurrentAttempts = options.concurrentAttempts ?? 1;
    const commitsPerSecond = concurrent.landed / concurrent.seconds;
    const oneLanderPerSecond = one.landed / one.seconds;
    const summedLandingMs = concurrent.durations.reduce((sum, duration) => sum + duration, 0);
    return {
      landers: options.landers,
      overlap: options.overlap,
      concurrent_attempts: concurrentAttempts,
      landed: concurrent.landed,
      conflicts: concurrent.conflicts,
      conflict_rate: round(concurrent.conflicts / options.landers, 3),
      conflict_events: concurrent.events.filter((event) => event.type === 'landing.conflict').length,
      resolved: concurrent.resolved,
      retries: concurrent.events.filter((event) => event.type === 'landing.retry').length,
      p50_ms: Math.round(percentile(concurrent.durations, 0.5)),
      p99_ms: Math.round(percentile(concurrent.durations, 0.99)),
      commits_per_s: round(commitsPerSecond),
      serial_push_commits_per_s: round(serial),
      ratio: round(commitsPerSecond / serial, 2),
      gate_occupied_share: round(concurrent.gate.occupiedMs / (concurrent.seconds * 1000), 3),
      gate_wait_share: round(concurrent.gate.waitedMs / Math.max(1, summedLandingMs), 3),
      one_lander: {
        commits_per_s: round(oneLanderPerSecond),
        p50_ms: Math.round(percentile(one.durations, 0.5)),
        ratio: round(oneLanderPerSecond / serial, 2),
      },
      duplicate_landings: concurrent.duplicates + one.duplicates,
      history_linear: concurrent.linear && one.linear,
    };
  } finally {
    repo.cleanup();
  }
}

/** What one arm is run with: the bench's options, and whether its changes land all at once. */
interface LandingArmRequest extends LandingBenchOptions {
  git: Git;
  repo: TempRepo;
  name: string;
  /** All landers at once, or one lander landing the changes one after another. */
  together: boolean;
  progress: (line: string) => void;
}

/** A lander's change, written in its worktree and waiting to land under its lease. */
interface PreparedChange {
  index: number;
  lease: { taskId: string; fence: number };
  worktree: Worktree;
}

/** One arm on a hub and board of its own: prepares a worktree per change, lands them, reads the log. */
async function landArm(request: LandingArmRequest): Promise<LandingArm> {
  const { git, repo, signal, progress } = request;
  const hub = await openLocalHub({
    userRepo: repo.userRepo,
    path: join(repo.directory, `${request.name}-hub.git`),
    git,
    signal,
  });
  const { board, runId, leases } = await createClaimedTasks(
    join(repo.directory, `${request.name}-board.db`),
    request.landers,
  );
  const worktrees = createWorktreeManager({
    hub,
    root: join(repo.directory, `${request.name}-worktrees`),
    git,
  });
  const events: LandingEvent[] = [];
  const lander = createLander({
    hub,
    board,
    git,
    concurrentAttempts: request.concurrentAttempts ?? 1,
    onEvent: (event) => events.push(event),
  });
  const overlapping = Math.round(request.overlap * request.landers);
  progress(`${request.name}: creating ${request.landers} worktrees`);
  const prepared: PreparedChange[] = [];
  for (const [index, lease] of leases.entries()) {
    const worktree = await worktrees.create({ label: `bench-${index}`, signal });
    await writeFile(join(worktree.path, `lander-${index}.txt`), `change of lander ${index}\n`);
    if (index < overlapping)
      await appendFile(join(worktree.path, 'shared.txt'), `appended by lander ${index}\n`);
    prepared.push({ index, lease, worktree });
  }

  progress(
    `${request.name}: landing ${request.landers} changes ${request.together ? 'at once' : 'one after another'} (${overlapping} also touch shared.txt)`,
  );
  const tally = { conflicts: 0, resolved: 0 };
  const durations: number[] = [];
  const landOne = async ({ index, lease, worktree }: PreparedChange) => {
    const task = { runId, taskId: lease.taskId, fence: lease.fence, agentId: `bench-${index}` };
    const begun = performance.now();
    const outcome = await landResolving(
      lander,
      { worktree, task, message: `Bench change ${index}`, signal },
      tally,
    );
    durations.push(performance.now() - begun);
    return outcome;
  };
  const started = performance.now();
  const outcomes: LandOutcome[] = [];
  if (request.together) outcomes.push(...(await Promise.all(prepared.map(landOne))));
  else for (const change of prepared) outcomes.push(await landOne(change));
  const seconds = (performance.now() - started) / 1000;
  const landed = outcomes.filter((outcome) => outcome.type === 'landed').length;
  const history = await readHistory(git, hub.url, `${hub.seedCommit}..${hub.branch}`, landed, signal);
  await Promise.all(prepared.map(({ worktree }) => worktrees.release(worktree, { failed: false, signal })));
  await board.close();
  durations.sort((a, b) => a - b);
  return { landed, seconds, durations, ...tally, events, gate: lander.gateUsage(), ...history };
}

/** Lands a change, resolving each conflict by taking both sides, until it settles. */
async function landResolving(
  lander: Lander,
  request: LandRequest,
  tally: { conflicts: number; resolved: number },
): Promise<LandOutcome> {
  let outcome = await lander.land(request);
  if (outcome.type === 'conflict') tally.conflicts++;
  while (outcome.type === 'conflict') {
    for (const file of outcome.report.files) {
      const path = join(request.worktree.path, file.path);
      await writeFile(path, takeBothSides(await readFile(path, 'utf8')));
    }
    outcome = await lander.land(request);
    if (outcome.type === 'landed') tally.resolved++;
  }
  return outcome;
}

/** Tasks landed more than once (or commits not accounted for), and whether history stayed linear. */
async function readHistory(
  git: Git,
  hub: string,
  range: string,
  landed: number,
  signal: AbortSignal,
): Promise<{ duplicates: number; linear: boolean }> {
  const format = '--format=%P%x1f%(trailers:key=Cadre-Task,valueonly,separator=)';
  const log = (await git(['log', format, range], { cwd: hub, signal })).stdout;
  const lines = log.split('\n').filter((line) => line.length > 0);
  const taskIds = lines.map((line) => line.split('\x1f')[1] ?? '');
  return {
    duplicates: taskIds.length - new Set(taskIds).size + Math.abs(taskIds.length - landed),
    linear: lines.every((line) => !(line.split('\x1f')[0] ?? '').includes(' ')),
  };
}
