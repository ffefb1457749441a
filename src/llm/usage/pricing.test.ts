import { describe, expect, it } from 'vitest';
import { computeCost, costOf, createPriceTable } from './pricing.ts';

describe('pricing', () => {
  const usage = {
    inputTokens: 1_000_000,
    cachedInputTokens: 400_000,
    cacheWriteTokens: 100_000,
    outputTokens: 200_000,
    reasoningTokens: 50_000,
  };

  it('bills cached reads and cache writes at their own rates and reasoning as output', () => {
    // 500k uncached * 3 + 400k * 0.3 + 100k * 3.75 + 200k * 15, per million.
    expect(computeCost(usage, { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 })).toBeCloseTo(
      1.5 + 0.12 + 0.375 + 3,
    );
    expect(computeCost(usage, { input: 2, output: 8 })).toBeCloseTo(2 + 1.6);
  });

  it('finds list prices for dated snapshots and prefers the longest match', () => {
    const table = createPriceTable();
    const sonnet = table.lookup('anthropic:claude-sonnet-4-5-20250929');
    expect(sonnet).toMatchObject({ type: 'priced', source: 'list', price: { input: 3 } });
    expect(table.lookup('openai:gpt-5-mini')).toMatchObject({ price: { input: 0.25 } });
    expect(table.lookup('openai:gpt-5-mini-2025-08-07')).toMatchObject({ price: { input: 0.25 } });
  });

  it('treats self-hosted and sim models as free and unknown models as unknown', () => {
    const table = createPriceTable();
    expect(costOf(table, 'openai-compatible:local', usage)).toBe(0);
    expect(costOf(table, 'sim:echo', usage)).toBe(0);
    expect(costOf(table, 'openai:brand-new-model', usage)).toBeNull();
  });

  it('lets config override by full id or by model name', () => {
    const table = createPriceTable({
      'openai:gpt-4.1': { input: 1, output: 1 },
      'local-qwen': { input: 0.1, output: 0.1 },
    });
    expect(table.lookup('openai:gpt-4.1')).toMatchObject({ source: 'override', price: { input: 1 } });
    expect(table.lookup('openai-chat:gpt-4.1')).toMatchObject({ source: 'list', price: { input: 2 } });
    expect(costOf(table, 'openai-compatible:local-qwen', usage)).toBeCloseTo(
      ((1_000_000 + 200_000) * 0.1) / 1_000_000,
    );
  });
});
