import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../../llm/testing/index.ts';
import { createModelUser, createScriptedUser } from './simulated-user.ts';

const facts = [
  { key: 'revenue', keywords: ['revenue', 'sales'], value: 'Revenue is $2,400,000.' },
  { key: 'state', keywords: ['state'], value: 'They are in TX.' },
];
const signal = new AbortController().signal;

describe('simulated users', () => {
  it('the scripted user reveals a fact only when a question asks about it', async () => {
    const user = createScriptedUser({ persona: 'junior underwriter', facts });
    const vague = await user.answer('Tell me about the prospect.', signal);
    expect(vague).not.toContain('2,400,000');
    expect(vague).not.toContain('TX');
    expect(user.revealed().size).toBe(0);
    const asked = await user.answer('What are their annual SALES?', signal);
    expect(asked).toContain('Revenue is $2,400,000.');
    expect(asked).not.toContain('TX');
    expect([...user.revealed()]).toEqual(['revenue']);
    expect(user.cost().costUsd).toBe(0);
  });

  it('matches whole words, so "statement" does not reveal the state', async () => {
    const user = createScriptedUser({ persona: 'junior underwriter', facts });
    expect(await user.answer('Can you send the statement?', signal)).not.toContain('TX');
    expect(user.revealed().size).toBe(0);
  });

  it('the model-driven user is told the facts, and its cost is counted apart', async () => {
    const model = createScriptedModel([
      { type: 'text', text: 'I am not sure what you mean.', usage: { inputTokens: 50, outputTokens: 10 } },
      { type: 'text', text: 'Revenue is $2,400,000.', usage: { inputTokens: 70, outputTokens: 8 } },
    ]);
    const user = createModelUser({ model, persona: 'junior underwriter', facts, costOf: () => 0.002 });
    await user.answer('Hello?', signal);
    expect(user.revealed().size).toBe(0);
    await user.answer('What is the revenue?', signal);
    expect([...user.revealed()]).toEqual(['revenue']);
    expect(model.requests[0]?.system).toContain('Reveal a fact only when the assistant asks');
    expect(model.requests[1]?.messages).toHaveLength(3);
    expect(user.cost().usage.inputTokens).toBe(120);
    expect(user.cost().costUsd).toBeCloseTo(0.004, 12);
  });
});
