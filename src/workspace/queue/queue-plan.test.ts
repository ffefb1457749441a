import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '../../protocol/index.ts';
import type { ChainLink } from './queue-chain.ts';
import { createTrainState, type TrainState } from './queue-context.ts';
import { batchSize, planRound } from './queue-plan.ts';
import { QueueSettings } from './queue-settings.ts';

function entry(position: number): QueueEntry {
  return {
    id: `qe_${position}`,
    runId: 'run_1',
    taskId: `task_${position}`,
    fence: 1,
    agentId: null,
    commit: 'a'.repeat(40),
    base: 'b'.repeat(40),
    ref: `refs/cadre/queue/task_${position}/1`,
    files: [],
    position,
    status: 'queued',
    outcome: null,
    submittedAt: 0,
    settledAt: null,
  };
}

function state(chainLength: number, patch: Partial<TrainState> = {}): TrainState {
  const chain: ChainLink[] = Array.from({ length: chainLength }, (_, index) => ({
    entry: entry(index),
    commit: String(index).padStart(40, 'c'),
    tree: 'd'.repeat(40),
  }));
  return {
    ...createTrainState(),
    tip: 'e'.repeat(40),
    tipTree: 'f'.repeat(40),
    tipGreen: true,
    chain,
    lastPosition: chainLength,
    recovering: false,
    ...patch,
  };
}

describe('planning a merge queue round', () => {
  it('sizes batches so one still passes half the time at the recent failure rate', () => {
    expect(batchSize([], 16)).toBe(6);
    expect(
      batchSize(
        Array.from({ length: 50 }, () => false),
        16,
      ),
    ).toBe(16);
    expect(
      batchSize(
        Array.from({ length: 50 }, (_, index) => index % 2 === 0),
        16,
      ),
    ).toBe(1);
    expect(batchSize([], 4)).toBe(4);
  });

  it('stacks speculative batches on the first, never past the chain', () => {
    const settings = QueueSettings.parse({ speculation: 3 });
    expect(planRound(state(20), settings, null).lengths).toEqual([6, 12, 18]);
    expect(planRound(state(8), settings, null).lengths).toEqual([6, 8]);
  });

  it('gives suspects half the checks, probing the first half alone when one check is left', () => {
    const settings = QueueSettings.parse({ speculation: 2 });
    const suspect = {
      entries: [entry(10), entry(11), entry(12)],
      reds: 1,
      checkRunId: 'cr_1',
      wholeRun: true,
    };
    const plan = planRound(state(12, { suspects: [suspect] }), settings, null);
    expect(plan.probes.map((probe) => probe.entries.map((queued) => queued.position))).toEqual([[10, 11]]);
    expect(plan.lengths).toEqual([6]);
  });

  it('blames a lone suspect that failed 1 + flakyRetries times, and retries one that failed less', () => {
    const settings = QueueSettings.parse({ speculation: 2, flakyRetries: 1 });
    const twice = { entries: [entry(3)], reds: 2, checkRunId: 'cr_2', wholeRun: false };
    const once = { entries: [entry(4)], reds: 1, checkRunId: 'cr_3', wholeRun: true };
    const plan = planRound(state(0, { suspects: [twice, once] }), settings, null);
    expect(plan.blame).toEqual([twice]);
    expect(plan.probes.map((probe) => probe.suspect)).toEqual([once]);
  });

  it('bisects a red prefix in place with evenly spaced cuts, and blames a lone red head', () => {
    const settings = QueueSettings.parse({ speculation: 2 });
    expect(planRound(state(10, { redPrefix: 9 }), settings, null)).toMatchObject({
      purpose: 'bisect',
      lengths: [3, 6],
    });
    expect(planRound(state(10, { redPrefix: 1 }), settings, null).blameHead).toBe(true);
  });

  it('on a red tip in continue mode checks the whole queue once each time it grows', () => {
    const settings = QueueSettings.parse({ onRedTip: 'continue' });
    expect(planRound(state(5), settings, 5).lengths).toEqual([]);
    expect(planRound(state(7), settings, 5).lengths).toEqual([7]);
  });
});
