import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { createPriceTable } from './pricing.ts';
import { createMeteredModel, createUsageLedger } from './usage-ledger.ts';

const million = {
  inputTokens: 1_000_000,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 1_000_000,
  reasoningTokens: 0,
};

describe('usage ledger', () => {
  it('totals per agent, role, model and run, and counts unpriced calls', () => {
    const ledger = createUsageLedger(createPriceTable({ 'openai:gpt-4.1': { input: 2, output: 8 } }));
    expect(
      ledger.record({
        agentId: 'agent_a',
        role: 'worker',
        modelId: 'openai:gpt-4.1',
        usage: million,
        latencyMs: 10,
      }),
    ).toBe(10);
    ledger.record({ agentId: 'agent_b', role: 'worker', modelId: 'sim:echo', usage: million, latencyMs: 5 });
    expect(
      ledger.record({
        agentId: 'agent_b',
        role: 'planner',
        modelId: 'openai:mystery',
        usage: million,
        latencyMs: 1,
      }),
    ).toBeNull();

    expect(ledger.total()).toMatchObject({ calls: 3, costUsd: 10, unpricedCalls: 1, latencyMs: 16 });
    expect(ledger.total().usage.inputTokens).toBe(3_000_000);
    expect(ledger.byRole('worker')).toMatchObject({ calls: 2, costUsd: 10 });
    expect(ledger.byAgent('agent_b')).toMatchObject({ calls: 2, costUsd: 0, unpricedCalls: 1 });
    expect(ledger.byModel('openai:gpt-4.1').costUsd).toBe(10);
    expect(ledger.byAgent('agent_nobody').calls).toBe(0);
    expect([...ledger.all('role').keys()]).toEqual(['worker', 'planner']);
  });

  it('meters a model under the id of the model that answered', async () => {
    const ledger = createUsageLedger(createPriceTable());
    const inner = createScriptedModel(
      [{ type: 'text', text: 'hi', usage: { inputTokens: 7, outputTokens: 3 } }],
      { id: 'sim:echo' },
    );
    const seen: string[] = [];
    const model = createMeteredModel(inner, {
      ledger,
      agentId: 'agent_a',
      role: 'judge',
      onRecorded: (record) => seen.push(record.modelId),
    });
    await model.generate({ messages: [] }, { signal: new AbortController().signal });
    expect(seen).toEqual(['sim:echo']);
    expect(ledger.byRole('judge').usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
  });
});
