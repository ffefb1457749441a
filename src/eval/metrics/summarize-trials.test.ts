import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../../llm/index.ts';
import type { TrialRecord } from '../trial-record.ts';
import { summarizeTrials } from './summarize-trials.ts';

function record(
  sampleId: string,
  success: boolean | null,
  overrides: Partial<TrialRecord> = {},
): TrialRecord {
  return {
    suite: 's',
    role: 'worker',
    model: 'm',
    sampleId,
    taskType: sampleId.split('-')[0]!,
    trial: 0,
    end:
      success === null
        ? { type: 'infrastructure-error', detail: 'server: 500' }
        : { type: 'answered', detail: 'x' },
    success,
    scoreValue: success ? 1 : 0,
    scores: [],
    answer: 'x',
    steps: 2,
    toolCalls: 1,
    usage: { ...emptyUsage(), inputTokens: 100, outputTokens: 20 },
    costUsd: 0.01,
    unpricedCalls: 0,
    userUsage: emptyUsage(),
    userCostUsd: 0,
    errors: [],
    events: [],
    ...overrides,
  };
}

describe('summarizeTrials', () => {
  it('computes rates, pass@k, pass^k and cost per success by hand', () => {
    const records = [
      record('a-1', true),
      record('a-1', false, {
        errors: [{ kind: 'premature-stop', detail: '' }],
        end: { type: 'gave-up', detail: '' },
      }),
      record('b-1', true),
      record('b-1', true),
      record('c-1', false),
      record('c-1', null), // infrastructure error: left out of every rate
    ];
    const summary = summarizeTrials('m', 'worker', 2, records);
    expect(summary.trials).toBe(6);
    expect(summary.infrastructureErrors).toBe(1);
    expect(summary.scoredTrials).toBe(5);
    expect(summary.successRate).toBeCloseTo(3 / 5, 12);
    // a: n=2 c=1 k=2 → pass@2 = 1, pass^2 = 0; b: n=2 c=2 → 1, 1; c: n=1 c=0, k capped to 1 → 0, 0.
    expect(summary.passAtK).toBeCloseTo(2 / 3, 12);
    expect(summary.passHatK).toBeCloseTo(1 / 3, 12);
    expect(summary.tokensPerTrial).toBe(120);
    expect(summary.dollarsPerTrial).toBeCloseTo(0.01, 12);
    expect(summary.dollarsPerSuccess).toBeCloseTo(0.05 / 3, 12);
    expect(summary.tokensPerSuccess).toBeCloseTo(600 / 3, 12);
    expect(summary.errorRates['premature-stop']).toBeCloseTo(1 / 5, 12);
    expect(summary.endReasons['infrastructure-error']).toBe(1);
    expect(summary.endReasons['gave-up']).toBe(1);
    expect(summary.successRateByTaskType).toEqual({ a: 0.5, b: 1, c: 0 });
  });

  it('reports null per-success figures when nothing succeeded', () => {
    const summary = summarizeTrials('m', 'worker', 1, [record('a-1', false)]);
    expect(summary.dollarsPerSuccess).toBeNull();
    expect(summary.tokensPerSuccess).toBeNull();
  });
});
