import type { Git } from '../workspace/index.ts';
import type { WorkerRecord } from './queue-bench-workers.ts';

/** What `cadre bench queue` prints for each arm. */
export interface QueueBenchArm {
  landed: number;
  /** Commits that were the branch tip at some point. */
  tips: number;
  /** Tips whose tree holds a bad change (the checks would fail there). */
  red_tips: number;
  /** Bad changes sent back to their worker as `checks-failed`. */
  culprits_found: number;
  bad_changes: number;
  /** Good changes sent back as `checks-failed`: false blame. */
  good_changes_blamed: number;
  /** Conflicts that workers resolved and landed again after. */
  conflicts_resolved: number;
  /** Check runs of the arm: the queue's on the board, or the direct lander's one per checked attempt. */
  check_runs: number;
  /** Check processes started in the sandbox, speculative ones stopped early included. */
  checks_started: number;
  wall_s: number;
  landed_per_hour: number;
  p50_submit_to_land_ms: number;
  p99_submit_to_land_ms: number;
  /** How each worker's change ended, by outcome type. */
  outcomes: Record<string, number>;
}

/** The branch-side figures an arm reads after its workers are done. */
export interface BranchFigures {
  tips: number;
  red_tips: number;
  check_runs: number;
  checks_started: number;
}

/** The arm's figures from its workers' records, its wall time and what the branch shows. */
export function armFigures(
  records: readonly WorkerRecord[],
  seconds: number,
  branch: BranchFigures,
): QueueBenchArm {
  const landed = records.filter((record) => record.outcome === 'landed');
  const failed = records.filter((record) => record.outcome === 'checks-failed');
  const durations = landed.map((record) => record.durationMs).sort((left, right) => left - right);
  const outcomes: Record<string, number> = {};
  for (const record of records) outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
  return {
    landed: landed.length,
    tips: branch.tips,
    red_tips: branch.red_tips,
    culprits_found: failed.filter((record) => record.change.bad).length,
    bad_changes: records.filter((record) => record.change.bad).length,
    good_changes_blamed: failed.filter((record) => !record.change.bad).length,
    conflicts_resolved: records.reduce((sum, record) => sum + record.conflicts, 0),
    check_runs: branch.check_runs,
    checks_started: branch.checks_started,
    wall_s: round(seconds, 1),
    landed_per_hour: Math.round((landed.length / Math.max(seconds, 0.001)) * 3600),
    p50_submit_to_land_ms: Math.round(percentile(durations, 0.5)),
    p99_submit_to_land_ms: Math.round(percentile(durations, 0.99)),
    outcomes,
  };
}

/** How many of `commits` hold BROKEN anywhere in their tree (`git grep` over each commit). */
export async function countBrokenCommits(
  git: Git,
  repository: string,
  commits: readonly string[],
  signal: AbortSignal,
): Promise<number> {
  let broken = 0;
  for (const commit of commits) {
    const found = await git(['grep', '-q', '-F', 'BROKEN', commit, '--'], {
      cwd: repository,
      signal,
      acceptExitCodes: [1],
    });
    if (found.exitCode === 0) broken++;
  }
  return broken;
}

/** Every commit the branch gained after the seed: with direct landing, each was the tip once. */
export async function branchCommits(
  git: Git,
  repository: string,
  range: string,
  signal: AbortSignal,
): Promise<string[]> {
  const listed = await git(['rev-list', range], { cwd: repository, signal });
  return listed.stdout.split('\n').filter((line) => line.length > 0);
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

export function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
