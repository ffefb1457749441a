import { describe, expect, it } from 'vitest';
import { predictFlatLock } from './coordination-model.ts';
import { CoordinationSettings, type CoordinationSettingsInput } from './strategies/coordination-settings.ts';

const noFaults = { holdTooLong: 0, forgetRelease: 0, reacquire: 0, unlockedWrite: 0 };

/** The prediction over 30,000 calls' time: long enough that the first cycle hardly matters. */
function saturated(input: Partial<CoordinationSettingsInput>) {
  const settings = CoordinationSettings.parse({
    agents: 20,
    tasks: 16_000,
    latencyMs: 100,
    faults: noFaults,
    ...input,
  });
  return predictFlatLock(settings, (30_000 * settings.latencyMs) / 1000);
}

describe('the flat-lock model', () => {
  it('without faults, holds the lock three calls a task and does (1 + work steps) / 3 agents of work', () => {
    const prediction = saturated({ workSteps: 3 });
    expect(prediction.lockHoldCalls).toBe(3);
    expect(prediction.lockBound).toBe(true);
    expect(prediction.effectiveAgents).toBeCloseTo(4 / 3, 2);
    // counting the lock cycle's four calls as work gives the 2–3 the lab used to print
    expect(prediction.busyAgents).toBeCloseTo(8 / 3, 2);
  });

  it('moves with work steps and faults, not with peers or latency once the lock is saturated', () => {
    const base = saturated({ workSteps: 3 }).effectiveAgents;
    expect(saturated({ workSteps: 9 }).effectiveAgents).toBeCloseTo(10 / 3, 2);
    expect(saturated({ workSteps: 3, agents: 500 }).effectiveAgents).toBeCloseTo(base, 6);
    expect(saturated({ workSteps: 3, latencyMs: 1000 }).effectiveAgents).toBeCloseTo(base, 6);
    const faulty = saturated({
      workSteps: 3,
      faults: { holdTooLong: 0.1, forgetRelease: 0.02, reacquire: 0.02, unlockedWrite: 0.02 },
    });
    expect(faulty.lockHoldCalls).toBeGreaterThan(3);
    expect(faulty.effectiveAgents).toBeLessThan(base);
    expect(
      saturated({ workSteps: 3, lockTtlSteps: 30, faults: { ...noFaults, forgetRelease: 0.1 } })
        .lockHoldCalls,
    ).toBeCloseTo(3 + 0.1 * 27, 6);
  });

  it('is bounded by the peers when they are too few to keep the lock busy', () => {
    const one = saturated({ agents: 1, workSteps: 3 });
    expect(one.lockBound).toBe(false);
    expect(one.cycleCalls).toBe(2 + 3 + 3);
    expect(one.effectiveAgents).toBeCloseTo(4 / 8, 2);
  });

  it('counts no task before the first cycle ends, and never more tasks than the set', () => {
    const settings = CoordinationSettings.parse({ agents: 5, tasks: 10, latencyMs: 100, faults: noFaults });
    expect(predictFlatLock(settings, 0.5).tasksDone).toBe(0);
    expect(predictFlatLock(settings, 1_000).tasksDone).toBe(10);
  });
});
