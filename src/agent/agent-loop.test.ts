import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Model } from '../llm/index.ts';
import { createFakeTime, createScriptedModel } from '../llm/testing/index.ts';
import { defineTool } from './define-tool.ts';
import { createNoteTool, runTestAgent } from './testing/run-test-agent.ts';
import { createTestToolContext } from './testing/test-tool-context.ts';
import { FatalToolError } from './tool-errors.ts';

const noteCall = (text: string) => ({
  type: 'tool-calls' as const,
  toolCalls: [{ name: 'note', input: { text } }],
});

describe('runAgentLoop', () => {
  it('calls the model, runs its tool calls, sends the results back and ends when the model ends its turn', async () => {
    const model = createScriptedModel([
      {
        type: 'tool-calls',
        text: 'Let me note.',
        toolCalls: [{ id: 'c1', name: 'note', input: { text: 'hello' } }],
      },
      { type: 'text', text: 'All done.' },
    ]);
    const { result, events } = await runTestAgent(model, { system: 'Be brief.' });
    expect(result.reason).toEqual({ type: 'completed', text: 'All done.' });
    expect(events.map((event) => event.type)).toEqual([
      'agent-started',
      'model-call-started',
      'model-call-ended',
      'tool-call-started',
      'tool-call-ended',
      'model-call-started',
      'model-call-ended',
      'agent-ended',
    ]);
    expect(model.requests[0]).toMatchObject({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Do the test task.' }],
    });
    expect(model.requests[0]?.tools?.map((tool) => tool.name)).toEqual(['note']);
    expect(model.requests[1]?.messages.at(-1)).toEqual({
      role: 'tool',
      results: [{ toolCallId: 'c1', toolName: 'note', output: 'hello', isError: false }],
    });
    expect(result.totals).toMatchObject({
      steps: 2,
      usage: { inputTokens: 200, outputTokens: 40 },
      unpricedCalls: 2,
    });
    expect(result.counters.toolCalls).toBe(1);
  });

  it('reports bad and unknown tool calls to the model and counts them', async () => {
    const model = createScriptedModel([
      {
        type: 'tool-calls',
        toolCalls: [
          { name: 'nope', input: {} },
          { name: 'note', input: { size: 'big' } },
        ],
      },
      { type: 'text', text: 'ok' },
    ]);
    const { result } = await runTestAgent(model);
    const results = model.requests[1]?.messages.at(-1);
    expect(results?.role === 'tool' && results.results.map((entry) => entry.isError)).toEqual([true, true]);
    expect(result.counters).toMatchObject({ toolCalls: 2, unknownTool: 1, invalidInput: 1 });
  });

  it('ends with model-error when the model fails, and with fatal-tool-error when a tool fails fatally', async () => {
    const failing = await runTestAgent(
      createScriptedModel([{ type: 'error', errorType: 'auth', message: 'bad key' }]),
    );
    expect(failing.result.reason).toMatchObject({ type: 'model-error', errorType: 'auth' });
    expect(failing.events.map((event) => event.type)).toContain('model-call-failed');

    const fatal = defineTool({
      name: 'explode',
      description: 'Fails fatally.',
      inputSchema: z.object({}),
      async execute() {
        throw new FatalToolError('worktree is gone');
      },
    });
    const model = createScriptedModel([{ type: 'tool-calls', toolCalls: [{ name: 'explode', input: {} }] }]);
    const { result } = await runTestAgent(model, { tools: [fatal] });
    expect(result.reason).toEqual({
      type: 'fatal-tool-error',
      toolName: 'explode',
      message: 'worktree is gone',
    });
  });

  it('prices calls with the given function', async () => {
    const model = createScriptedModel([noteCall('a'), { type: 'text', text: 'done' }]);
    const { result, events } = await runTestAgent(model, { costOf: () => 0.25 });
    expect(result.totals.costUsd).toBe(0.5);
    expect(events.filter((event) => event.type === 'model-call-ended').map((event) => event.costUsd)).toEqual(
      [0.25, 0.25],
    );
  });
});

describe('budgets', () => {
  const endless = () => {
    let count = 0;
    return createScriptedModel(
      Array.from({ length: 50 }, () => () => noteCall(`step ${++count}`)),
      { id: 'scripted:endless' },
    );
  };

  it('ends on the step budget', async () => {
    const model = endless();
    const { result } = await runTestAgent(model, { budget: { maxSteps: 3 } });
    expect(result.reason).toEqual({ type: 'budget', budget: 'steps', limit: 3, used: 3 });
    expect(model.requests).toHaveLength(3);
  });

  it('ends on the token budget', async () => {
    const { result } = await runTestAgent(endless(), { budget: { maxTokens: 300 } });
    // Each scripted call uses 100 input and 20 output tokens.
    expect(result.reason).toEqual({ type: 'budget', budget: 'tokens', limit: 300, used: 360 });
  });

  it('ends on the dollar budget', async () => {
    const { result } = await runTestAgent(endless(), { budget: { maxDollars: 1 }, costOf: () => 0.4 });
    expect(result.reason).toMatchObject({ type: 'budget', budget: 'dollars', limit: 1 });
    expect(result.totals.steps).toBe(3);
  });

  it('ends on the wall-time budget between steps', async () => {
    const time = createFakeTime();
    const slowNote = defineTool({
      name: 'note',
      description: 'Takes a minute.',
      inputSchema: z.object({ text: z.string() }),
      async execute() {
        time.advance(60_000);
        return { output: 'noted', details: null };
      },
    });
    const { result } = await runTestAgent(endless(), {
      tools: [slowNote],
      clock: time.clock,
      budget: { maxWallTimeMs: 150_000 },
    });
    expect(result.reason).toEqual({ type: 'budget', budget: 'wall-time', limit: 150_000, used: 180_000 });
  });

  it('ends on the wall-time budget during a model call that never returns', async () => {
    const { result, events } = await runTestAgent(createScriptedModel([{ type: 'hang' }]), {
      budget: { maxWallTimeMs: 200 },
    });
    expect(result.reason).toMatchObject({ type: 'budget', budget: 'wall-time', limit: 200 });
    expect(events.map((event) => event.type)).toEqual(['agent-started', 'model-call-started', 'agent-ended']);
  });
});

describe('stuck detection', () => {
  it('warns after the same call three times in a row, then ends the agent as stuck on the fourth', async () => {
    const model = createScriptedModel(Array.from({ length: 4 }, () => noteCall('same')));
    const { result, events } = await runTestAgent(model);
    expect(result.reason).toMatchObject({ type: 'stuck', pattern: 'repeated-tool-call' });
    expect(events.filter((event) => event.type === 'stuck-warning')).toHaveLength(1);
    expect(JSON.stringify(model.requests[3]?.messages.at(-1))).toContain('Warning: you made the same call');
    // The fourth repetition is not run.
    expect(result.counters.toolCalls).toBe(3);
  });

  it('lets a warned agent that changes course go on', async () => {
    const model = createScriptedModel([
      ...Array.from({ length: 3 }, () => noteCall('same')),
      noteCall('different'),
      { type: 'text', text: 'done' },
    ]);
    const { result } = await runTestAgent(model);
    expect(result.reason.type).toBe('completed');
  });

  it('nudges a model that stops talking to tools while the task is unfinished, then ends it as stuck', async () => {
    const model = createScriptedModel(
      Array.from({ length: 4 }, () => ({ type: 'text' as const, text: 'I think so.' })),
    );
    const { result, events } = await runTestAgent(model, {
      isTaskFinished: () => false,
      stuck: { idleStepLimit: 3 },
    });
    expect(result.reason).toMatchObject({ type: 'stuck', pattern: 'no-tool-calls' });
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({
      role: 'user',
      content: expect.stringContaining('not finished'),
    });
    expect(events.filter((event) => event.type === 'stuck-warning')).toHaveLength(1);
    expect(JSON.stringify(model.requests[3]?.messages.at(-1))).toContain('Warning');
  });

  it('asks the model to continue an answer cut off at the output limit', async () => {
    const model = createScriptedModel([
      { type: 'text', text: 'The answer is', finishReason: 'length' },
      { type: 'text', text: '42.' },
    ]);
    const { result } = await runTestAgent(model);
    expect(result.reason).toEqual({ type: 'completed', text: '42.' });
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ content: expect.stringContaining('cut off') });
  });

  it('runs none of the tool calls of a response cut off at the output limit, and says so', async () => {
    const scripted = createScriptedModel([
      noteCall('half a file'),
      noteCall('the whole file'),
      { type: 'text', text: 'done' },
    ]);
    // The first response carries tool calls but was cut by the output limit.
    let calls = 0;
    const model: Model = {
      id: scripted.id,
      async generate(request, options) {
        const response = await scripted.generate(request, options);
        return ++calls === 1 ? { ...response, finishReason: 'length' } : response;
      },
    };
    const { result, events } = await runTestAgent(model);
    expect(result.reason).toEqual({ type: 'completed', text: 'done' });
    const ran = events.filter((event) => event.type === 'tool-call-ended');
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ outcome: { output: 'the whole file' } });
    expect(events.find((event) => event.type === 'truncated-tool-calls')).toMatchObject({
      step: 1,
      toolNames: ['note'],
    });
    expect(scripted.requests[1]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      results: [
        { toolName: 'note', isError: true, output: expect.stringContaining('cut off at the output limit') },
      ],
    });
  });
});

describe('the note tool', () => {
  it('makes filler of the asked size', async () => {
    const outcome = await createNoteTool().execute({ size: 100 }, createTestToolContext());
    expect(outcome.output).toHaveLength(100);
  });
});
