import { describe, expect, it } from 'vitest';
import { summarizeTrials } from '../metrics/summarize-trials.ts';
import { bootstrapDifference } from './bootstrap.ts';
import { recommendRouting, routingConfig } from './recommend-routing.ts';

const tallies = (successes: number[]) =>
  successes.map((count, index) => ({ sampleId: `s${index}`, taskType: 't', scored: 4, successes: count }));

describe('bootstrap interval', () => {
  it('finds a large difference significant and no difference not', () => {
    const low = tallies(Array.from({ length: 40 }, (_, index) => (index % 4 === 0 ? 1 : 0)));
    const high = tallies(Array.from({ length: 40 }, () => 4));
    const big = bootstrapDifference(low, high);
    expect(big.difference).toBeCloseTo(1 - 10 / 160, 12);
    expect(big.significant).toBe(true);
    expect(big.low).toBeGreaterThan(0.8);
    const same = bootstrapDifference(low, low);
    expect(same.difference).toBe(0);
    expect(same.significant).toBe(false);
    expect(same.low).toBeLessThan(0);
    expect(same.high).toBeGreaterThan(0);
  });
});

describe('recommendRouting', () => {
  const model = (name: string, role: string, successRate: number, dollarsPerTrial: number) => ({
    ...summarizeTrials(name, role, 1, []),
    successRate,
    dollarsPerTrial,
  });

  it('ranks by success per dollar above the floor, per role', () => {
    const recommendations = recommendRouting(
      [
        model('openai:big', 'worker', 0.9, 0.3),
        model('openai:small', 'worker', 0.75, 0.05),
        model('openai:tiny', 'worker', 0.4, 0.001),
        model('openai:big', 'judge', 0.8, 0.3),
        model('openai:small', 'judge', 0.5, 0.05),
      ],
      0.7,
    );
    expect(routingConfig(recommendations)).toEqual({
      roles: { judge: ['openai:big'], worker: ['openai:small', 'openai:big'] },
    });
    expect(recommendations.find((item) => item.role === 'worker')!.reasons.join('\n')).toContain(
      'below the floor',
    );
  });

  it('chains an engine only at the head, for the roles engines serve', () => {
    const ranked = recommendRouting(
      [
        model('engine:codex/gpt-5.2', 'worker', 0.95, 0.02),
        model('engine:claude-code/claude-sonnet-4-5', 'worker', 0.9, 0.2),
        model('openai:small', 'worker', 0.75, 0.05),
        model('openai:big', 'planner', 0.8, 0.3),
        model('engine:codex/gpt-5.2', 'planner', 0.9, 0.01),
      ],
      0.7,
    );
    expect(routingConfig(ranked)).toEqual({
      roles: { planner: ['openai:big'], worker: ['engine:codex/gpt-5.2', 'openai:small'] },
    });
    const reasons = ranked.flatMap((item) => item.reasons).join('\n');
    expect(reasons).toContain('engine:claude-code/claude-sonnet-4-5: left out of the chain');
    expect(reasons).toContain('engine:codex/gpt-5.2: left out of the chain: engines serve only worker');
    const second = recommendRouting(
      [model('openai:small', 'worker', 0.75, 0.05), model('engine:codex/gpt-5.2', 'worker', 0.95, 0.5)],
      0.7,
    );
    expect(routingConfig(second).roles.worker).toEqual(['openai:small']);
  });
});
