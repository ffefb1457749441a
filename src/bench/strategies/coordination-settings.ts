import { z } from 'zod';
import type { StepLedger } from './step-ledger.ts';

/** The coordination structures the lab compares. */
export const StrategyName = z.enum(['flat-lock', 'flat-occ', 'hierarchical']);
/** The coordination structures the lab compares. */
export type StrategyName = z.infer<typeof StrategyName>;

/**
 * Probabilities (0..1, per decision cycle of a flat-lock peer) of the lock misuse the seed reports.
 * The defaults are small: the seed's collapse comes from the lock itself, the faults only deepen it.
 */
export const LockFaultRates = z.strictObject({
  /** The peer dawdles under the lock: it re-reads the list `holdTooLongSteps` more times before writing. */
  holdTooLong: z.number().min(0).max(1).default(0.1),
  /** Extra model calls a dawdling peer spends holding the lock. */
  holdTooLongSteps: z.int().min(1).max(100).default(3),
  /** The peer never calls release_lock; only the lock's TTL frees it. */
  forgetRelease: z.number().min(0).max(1).default(0.02),
  /** The peer calls acquire_lock while holding it; the lock is not reentrant, so it waits on itself until the TTL. */
  reacquire: z.number().min(0).max(1).default(0.02),
  /** The peer rewrites the list without taking the lock: a blind overwrite that can lose others' updates. */
  unlockedWrite: z.number().min(0).max(1).default(0.02),
});
/** Probabilities of the lock misuse the seed reports. */
export type LockFaultRates = z.infer<typeof LockFaultRates>;

/** Tasks in one lab run at most: flat peers keep the whole list (up to 6 characters a task) in one task spec of at most 100,000. */
export const maxLabTasks = 16_000;

/** One measurement: a strategy run by some agents on a task set with a latency model. */
export const CoordinationSettings = z.strictObject({
  agents: z.int().min(1).max(100_000),
  /** Work tasks in the set, all of equal simulated work. */
  tasks: z.int().min(1).max(maxLabTasks),
  /** Fixed simulated latency of every model call. */
  latencyMs: z.number().min(0).max(600_000),
  /** Model calls' worth of time the flat peers' do_work tool takes: the work a sim worker does besides coordinating. */
  workSteps: z.int().min(0).max(1_000).default(3),
  /** The lock's TTL, in model calls (TTL = lockTtlSteps × latencyMs). */
  lockTtlSteps: z.number().positive().max(10_000).default(10),
  seed: z.int().default(1),
  faults: LockFaultRates.prefault({}),
  /** Runs still going after this many seconds (every strategy alike) are stopped and reported as cut off. */
  maxWallSeconds: z.number().positive().max(86_400).default(90),
});
/** One measurement's settings (before defaults). */
export type CoordinationSettingsInput = z.input<typeof CoordinationSettings>;
/** One measurement's settings. */
export type CoordinationSettings = z.infer<typeof CoordinationSettings>;

/** What a strategy run measured, before the lab turns it into a row. */
export interface StrategyMeasures {
  wallMs: number;
  /** Agents the strategy ran (for hierarchical: planners plus workers). */
  agents: number;
  /** Nominal agent-milliseconds of work, coordination and waste (see StepLedger); pending is left out. */
  ledger: StepLedger;
  /** Nominal agent-milliseconds of every model call and tool, whatever it went to. */
  nominalMs: number;
  /** Wall agent-milliseconds in model calls and tools, minus lock waits: the old busy time. Lag = this − nominalMs. */
  wallBusyMs: number;
  /** Agent-milliseconds blocked in acquire_lock. */
  lockWaitMs: number;
  /** Whether the run hit maxWallSeconds before every agent ended by itself. */
  cutOff: boolean;
}
