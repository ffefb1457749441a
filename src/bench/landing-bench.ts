import { setMaxListeners } from 'node:events';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createGit,
  createLander,
  createWorktreeManager,
  type LandingEvent,
  type LandOutcome,
  openLocalHub,
} from '../workspace/index.ts';
import { createClaimedTasks } from '../workspace/testing/claimed-tasks.ts';
import { createTempRepo } from '../workspace/testing/temp-repo.ts';
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
  /** Tasks whose trailer appears on more than one commit, and commits not accounted for (both must be 0). */
  duplicate_landings: number;
  history_linear: boolean;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Lands `landers` one-file changes at once through the real lander (worktrees cloned from a local
 * hub, SQLite board, exactly-once checks) and compares the throughput with plain serial pushes.
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

    const hub = await openLocalHub({
      userRepo: repo.userRepo,
      path: join(repo.directory, 'hub.git'),
      git,
      signal,
    });
    const { board, runId, leases } = await createClaimedTasks(
      join(repo.directory, 'board.db'),
      options.landers,
    );
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    const events: LandingEvent[] = [];
    const concurrentAttempts = options.concurrentAttempts ?? 1;
    const lander = createLander({
      hub,
      board,
      git,
      concurrentAttempts,
      onEvent: (event) => events.push(event),
    });
    const overlapping = Math.round(options.overlap * options.landers);
    progress(`creating ${options.landers} worktrees`);
    const prepared = [];
    for (const [index, lease] of leases.entries()) {
      const worktree = await worktrees.create({ label: `bench-${index}`, signal });
      await writeFile(join(worktree.path, `lander-${index}.txt`), `change of lander ${index}\n`);
      if (index < overlapping)
        await appendFile(join(worktree.path, 'shared.txt'), `appended by lander ${index}\n`);
      prepared.push({ index, lease, worktree });
    }

    progress(`landing ${options.landers} changes (${overlapping} also touch shared.txt)`);
    let conflicts = 0;
    let resolved = 0;
    const durations: number[] = [];
    const started = performance.now();
    const outcomes = await Promise.all(
      prepared.map(async ({ index, lease, worktree }) => {
        const task = { runId, taskId: lease.taskId, fence: lease.fence, agentId: `bench-${index}` };
        const begun = performance.now();
        let outcome: LandOutcome = await lander.land({
          worktree,
          task,
          message: `Bench change ${index}`,
          signal,
        });
        if (outcome.type === 'conflict') conflicts++;
        while (outcome.type === 'conflict') {
          for (const file of outcome.report.files) {
            const path = join(worktree.path, file.path);
            await writeFile(path, takeBothSides(await readFile(path, 'utf8')));
          }
          outcome = await lander.land({ worktree, task, message: `Bench change ${index}`, signal });
          if (outcome.type === 'landed') resolved++;
        }
        durations.push(performance.now() - begun);
        return outcome;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const landed = outcomes.filter((outcome) => outcome.type === 'landed').length;

    const log = (
      await git(
        [
          'log',
          '--format=%P%x1f%(trailers:key=Cadre-Task,valueonly,separator=)',
          `${hub.seedCommit}..${hub.branch}`,
        ],
        { cwd: hub.url, signal },
      )
    ).stdout;
    const lines = log.split('\n').filter((line) => line.length > 0);
    const taskIds = lines.map((line) => line.split('\x1f')[1] ?? '');
    const duplicates = taskIds.length - new Set(taskIds).size + Math.abs(taskIds.length - landed);
    await Promise.all(prepared.map(({ worktree }) => worktrees.release(worktree, { failed: false, signal })));
    await board.close();

    durations.sort((a, b) => a - b);
    const commitsPerSecond = landed / seconds;
    return {
      landers: options.landers,
      overlap: options.overlap,
      concurrent_attempts: concurrentAttempts,
      landed,
      conflicts,
      conflict_rate: round(conflicts / options.landers, 3),
      conflict_events: events.filter((event) => event.type === 'landing.conflict').length,
      resolved,
      retries: events.filter((event) => event.type === 'landing.retry').length,
      p50_ms: Math.round(percentile(durations, 0.5)),
      p99_ms: Math.round(percentile(durations, 0.99)),
      commits_per_s: round(commitsPerSecond),
      serial_push_commits_per_s: round(serial),
      ratio: round(commitsPerSecond / serial, 2),
      duplicate_landings: duplicates,
      history_linear: lines.every((line) => !(line.split('\x1f')[0] ?? '').includes(' ')),
    };
  } finally {
    repo.cleanup();
  }
}
