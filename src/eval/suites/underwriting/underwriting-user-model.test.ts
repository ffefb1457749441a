import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCounter, createToolCounters, parseToolConfig } from '../../../agent/index.ts';
import type { ModelRequest } from '../../../llm/index.ts';
import { createScriptedModel } from '../../../llm/testing/index.ts';
import { runTrial } from '../../runner/run-trial.ts';
import type { Sample, Suite } from '../../suite.ts';
import { underwritingSuite } from './underwriting-suite.ts';

const signal = new AbortController().signal;
let work: string;
let suite: Suite;
let prospect: Sample;
// The model playing the junior underwriter: it answers from the facts its system prompt lists, as a
// well-behaved user model would, so the test sees exactly what the suite told it.
const userModel = createScriptedModel(
  [
    (request: ModelRequest) => ({
      type: 'text',
      text: /- revenue: (.+)/.exec(request.system ?? '')?.[1] ?? 'no revenue fact given',
      usage: { inputTokens: 300, outputTokens: 12 },
    }),
  ],
  { id: 'scripted:junior-underwriter' },
);
const createdWith: Array<{ modelId: string; seed: number }> = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cadre-eval-user-model-'));
  suite = await underwritingSuite.load({
    signal,
    seed: 5,
    workDirectory: path.join(work, 'suite'),
    models: {
      createModel: (modelId, seed) => {
        createdWith.push({ modelId, seed });
        return userModel;
      },
      costOf: (modelId) => (modelId === 'scripted:junior-underwriter' ? 0.003 : null),
      userModel: 'scripted:junior-underwriter',
    },
  });
  prospect = suite.samples.find((sample) => sample.taskType === 'prospect-limit')!;
});
afterAll(async () => {
  await suite.close();
  await rm(work, { recursive: true, force: true });
});

describe('underwriting with a model-driven junior underwriter', () => {
  it('reveals a fact through ask_user, and its cost is counted apart from the agent', async () => {
    const revenueFact = prospect.hiddenFacts.find((fact) => fact.key === 'revenue')!;
    const agent = createScriptedModel([
      {
        type: 'tool-calls',
        toolCalls: [{ name: 'ask_user', input: { question: "What is the prospect's annual revenue?" } }],
        usage: { inputTokens: 1000, outputTokens: 40 },
      },
      {
        type: 'text',
        text: `ANSWER: ${prospect.reference}`,
        usage: { inputTokens: 1200, outputTokens: 20 },
      },
    ]);
    const record = await runTrial({
      suite,
      sample: prospect,
      trial: 0,
      modelId: agent.id,
      role: 'worker',
      model: agent,
      seed: 42,
      costOf: (modelId) => (modelId === agent.id ? 0.05 : null),
      tokenCounter: createTokenCounter(),
      signal,
    });
    expect(createdWith).toEqual([{ modelId: 'scripted:junior-underwriter', seed: 42 }]);
    expect(userModel.requests).toHaveLength(1);
    expect(userModel.requests[0]!.system).toContain('junior underwriter');
    expect(userModel.requests[0]!.messages.at(-1)).toMatchObject({
      role: 'user',
      content: "What is the prospect's annual revenue?",
    });
    const askEnded = record.events.find(
      (event) => (event as { type: string; toolName?: string }).type === 'tool-call-ended',
    ) as { toolName: string; outcome: { type: string; output: string; details: { revealed: string[] } } };
    expect(askEnded.toolName).toBe('ask_user');
    expect(askEnded.outcome.output).toBe(revenueFact.value);
    expect(askEnded.outcome.details.revealed).toEqual(['revenue']);
    expect(record.success).toBe(true);
    // The agent's two calls at 0.05 each; the user's one call at 0.003 is kept apart, with its tokens.
    expect(record.costUsd).toBeCloseTo(0.1, 12);
    expect(record.usage.inputTokens).toBe(2200);
    expect(record.userCostUsd).toBeCloseTo(0.003, 12);
    expect(record.userUsage).toMatchObject({ inputTokens: 300, outputTokens: 12 });
  });

  it('stays scripted and free when no user model is asked for', async () => {
    const scripted = await underwritingSuite.load({
      signal,
      seed: 5,
      workDirectory: path.join(work, 'plain'),
    });
    try {
      const environment = await scripted.prepare(prospect, { signal, seed: 1 });
      try {
        const ask = environment.tools.find((tool) => tool.name === 'ask_user')!;
        const reply = await ask.execute(
          { question: 'What is the annual revenue?' },
          {
            worktreeRoot: environment.worktreeRoot,
            signal,
            counters: createToolCounters(),
            config: parseToolConfig({}),
          },
        );
        // The scripted user's reply format, and no call to the user model.
        expect(reply.output).toMatch(/^\(junior underwriter\) Their annual revenue is/);
        expect(userModel.requests).toHaveLength(1);
        expect(environment.userCost().costUsd).toBe(0);
      } finally {
        await environment.cleanup();
      }
    } finally {
      await scripted.close();
    }
  });
});
