import { setMaxListeners } from 'node:events';
import { QueueSettings } from '../workspace/index.ts';
import { type ArmContext, runDirectArm, runOneCheckArm, runQueueArm } from './queue-bench-arms.ts';
import { planQueueBenchChanges } from './queue-bench-changes.ts';
import { type QueueBenchArm, round } from './queue-bench-figures.ts';

/** Options of `cadre bench queue`. */
export interface QueueBenchOptions {
  changes: number;
  /** Share (0-1) of changes that break the checks. */
  badRate: number;
  /** Share (0-1) of changes in pairs that edit the same line of one shared file. */
  conflictRate: number;
  /** How long one check run sleeps. */
  checkMs: number;
  seed: number;
  /** The merge queue's settings; the bench's defaults are `speculation: 8`, `maxBatch: 16`. */
  queue?: Partial<QueueSettings>;
  signal: AbortSignal;
  /** Progress lines for people (stderr); never part of the JSON. */
  progress?: (line: string) => void;
}

/** The JSON `cadre bench queue` prints. */
export interface QueueBenchResult {
  settings: {
    changes: number;
    bad_rate: number;
    conflict_rate: number;
    check_ms: number;
    seed: number;
    /** Workers calling `land` at once in every arm: one per change. */
    concurrency: number;
    check_command: string;
    queue: QueueSettings;
  };
  bad_changes: number;
  conflicting_changes: number;
  queue: QueueBenchArm;
  one_check_per_change: QueueBenchArm;
  direct_no_checks: QueueBenchArm;
  ratio_landed_per_hour_vs_one_check: number;
  /** The targets judged on this run's figures. */
  targets: {
    queue_red_tips_0: boolean;
    every_bad_change_found: boolean;
    landed_per_hour_ge_4x_one_check: boolean;
  };
}

/** The bench's queue settings before the flags: more speculation than a run's default, for throughput. */
export const queueBenchDefaults = { speculation: 8, maxBatch: 16 } as const;

/** The simulated checks: sleep, then fail when any file of the tree says BROKEN. */
export function queueBenchCheckCommand(checkMs: number): string {
  const seconds = (checkMs / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `sleep ${seconds}; if grep -rqs --exclude-dir=.git BROKEN . ; then echo broken; exit 1; fi`;
}

/**
 * Lands the same seeded changes three ways, each on a fresh repository, hub and SQLite board, with
 * real git and the checks in the real sandbox: through the merge queue, through the direct lander
 * checking each change in its gate (one check run per change, in order), and directly without checks.
 */
export async function runQueueBench(options: QueueBenchOptions): Promise<QueueBenchResult> {
  // hundreds of git calls and check runs listen on one signal at a time
  const signal = AbortSignal.any([options.signal]);
  setMaxListeners(0, signal);
  const progress = options.progress ?? (() => {});
  const plan = planQueueBenchChanges(options);
  const queue = QueueSettings.parse({ ...queueBenchDefaults, ...options.queue });
  const checkCommand = queueBenchCheckCommand(options.checkMs);
  const context: ArmContext = { plan, checkCommand, checkMs: options.checkMs, queue, signal, progress };
  const bad = plan.changes.filter((change) => change.bad).length;
  const conflicting = plan.changes.filter((change) => change.pair !== null).length;
  progress(
    `${options.changes} changes: ${bad} bad, ${conflicting} in conflicting pairs; checks: ${checkCommand}`,
  );
  const queueArm = await runQueueArm(context);
  const oneCheck = await runOneCheckArm(context);
  const direct = await runDirectArm(context);
  const ratio = oneCheck.landed_per_hour > 0 ? queueArm.landed_per_hour / oneCheck.landed_per_hour : 0;
  return {
    settings: {
      changes: options.changes,
      bad_rate: options.badRate,
      conflict_rate: options.conflictRate,
      check_ms: options.checkMs,
      seed: options.seed,
      concurrency: options.changes,
      check_command: checkCommand,
      queue,
    },
    bad_changes: bad,
    conflicting_changes: conflicting,
    queue: queueArm,
    one_check_per_change: oneCheck,
    direct_no_checks: direct,
    ratio_landed_per_hour_vs_one_check: round(ratio, 2),
    targets: {
      queue_red_tips_0: queueArm.red_tips === 0,
      every_bad_change_found: queueArm.culprits_found === bad,
      landed_per_hour_ge_4x_one_check: ratio >= 4,
    },
  };
}
