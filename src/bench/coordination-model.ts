import type { CoordinationSettings } from './strategies/coordination-settings.ts';

/**
 * What a closed-form model of flat-lock predicts for some settings, in model calls (one call = the
 * configured latency). The lab prints it beside the measurement so the flat-lock figure reads as
 * what it is, a consequence of its parameters, and a reader can see which of them move it.
 */
export interface FlatLockPrediction {
  /** Expected lock time per decision cycle: read, write and release calls, plus what the faults add. */
  lockHoldCalls: number;
  /** One peer's cycle when it never waits: acquire, the hold, do_work and its work steps. */
  cycleCalls: number;
  /** Task work per task: the do_work call and its work steps. */
  workCalls: number;
  /** Whether the lock, not the peers, bounds throughput (peers / cycle ≥ 1 / hold). */
  lockBound: boolean;
  tasksDone: number;
  tasksPerAgentSecond: number;
  /** Task work done per wall second, in agents: tasks × work per task / wall. */
  effectiveAgents: number;
  /** The same, counting the lock cycle's four calls as work too: the figure the lab used to print. */
  busyAgents: number;
}

/**
 * Predicts flat-lock over `wallSeconds` (the window the run measured). A hold is the three calls a
 * tool-calling model needs after acquiring (read, write, release); a dawdle adds its extra reads; a
 * forgotten release stretches the hold to the TTL; a reacquire wastes a whole TTL of lock time; an
 * unlocked write skips the lock. Throughput is min(peers / cycle, 1 / hold) tasks per call, the
 * first task lands after one cycle, and lost updates, lag and the last marking cycles are ignored.
 * Saturated, effective agents → (1 + work steps) / hold: more work per hold raises it, faults and a
 * longer TTL lower it, and neither the number of peers nor the latency enters.
 */
export function predictFlatLock(settings: CoordinationSettings, wallSeconds: number): FlatLockPrediction {
  const { faults, workSteps, lockTtlSteps: ttl } = settings;
  const base = 3 + faults.holdTooLong * faults.holdTooLongSteps;
  const locked = base + faults.reacquire * ttl + faults.forgetRelease * Math.max(0, ttl - base);
  const lockHoldCalls = (1 - faults.unlockedWrite) * locked;
  const cycleCalls = 2 + workSteps + lockHoldCalls;
  const workCalls = 1 + workSteps;
  const peerRate = settings.agents / cycleCalls;
  const lockRate = lockHoldCalls > 0 ? 1 / lockHoldCalls : Number.POSITIVE_INFINITY;
  const lockBound = peerRate >= lockRate;
  const rate = Math.min(peerRate, lockRate);
  const calls = settings.latencyMs > 0 ? (wallSeconds * 1000) / settings.latencyMs : 0;
  const firstTasks = lockBound ? 1 : settings.agents;
  const tasksDone =
    calls < cycleCalls ? 0 : Math.min(settings.tasks, (calls - cycleCalls) * rate + firstTasks);
  const perWallCall = calls > 0 ? tasksDone / calls : 0;
  return {
    lockHoldCalls,
    cycleCalls,
    workCalls,
    lockBound,
    tasksDone,
    tasksPerAgentSecond: wallSeconds > 0 ? tasksDone / wallSeconds / settings.agents : 0,
    effectiveAgents: perWallCall * workCalls,
    busyAgents: perWallCall * (workCalls + 4),
  };
}
