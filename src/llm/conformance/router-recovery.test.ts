import { describe, expect, it } from 'vitest';
import type { FallbackCategory, ModelsConfigInput } from '../../protocol/index.ts';
import type { ModelRequest } from '../model.ts';
import { createConfiguredRouter } from '../router/create-configured-router.ts';
import type { RouterEvent } from '../router/router-events.ts';
import { createFakeTime } from '../testing/fake-time.ts';
import { scriptOutage } from '../testing/outage.ts';
import type { ScriptedReply } from '../testing/protocol-server/scripted-reply.ts';
import { adapterCases, configFor, testEnv } from './adapter-cases.ts';
import { createSharedProtocolServer } from './shared-protocol-server.ts';

const ask: ModelRequest = { messages: [{ role: 'user', content: 'Say hello.' }], maxOutputTokens: 500 };
const signal = new AbortController().signal;

const server = createSharedProtocolServer();

/** A router over the protocol server with the config's own defaults, on fake time. */
function setup(chain: string[], extra: Partial<ModelsConfigInput> = {}) {
  const time = createFakeTime();
  const events: RouterEvent[] = [];
  const router = createConfiguredRouter({
    config: configFor(server.baseURL, { roles: { worker: chain }, ...extra }),
    env: testEnv,
    onEvent: (event) => events.push(event),
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
  });
  return { model: router.modelFor('worker'), time, events };
}

const firstModelFailures: Array<{ name: string; reply: ScriptedReply; category: FallbackCategory }> = [
  {
    name: '401 invalid key',
    reply: { type: 'error', status: 401, message: 'invalid x-api-key' },
    category: 'auth',
  },
  {
    name: '404 unknown model',
    reply: { type: 'error', status: 404, message: 'model: no-such-model', errorType: 'not_found_error' },
    category: 'not-found',
  },
  {
    name: '429 insufficient_quota',
    reply: {
      type: 'error',
      status: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
      errorType: 'insufficient_quota',
      code: 'insufficient_quota',
    },
    category: 'quota',
  },
];

describe.each(adapterCases)('router recovery over $id', (adapter) => {
  const fallbackId =
    adapter.protocol === 'anthropic-messages' ? 'openai-chat:gpt-4.1-mini' : 'anthropic:claude-haiku-4-5';

  it.each(firstModelFailures)(
    'falls back on a $name by default, without retrying the same model',
    async (failure) => {
      const { model, events, time } = setup([adapter.id, fallbackId]);
      server.enqueue(failure.reply, { type: 'text', text: 'From the fallback.' });
      const response = await model.generate(ask, { signal });
      expect(response).toMatchObject({ text: 'From the fallback.', modelId: fallbackId });
      expect(server.requests.map((request) => request.body.model)).toEqual([
        adapter.wireModel,
        fallbackId.split(':')[1],
      ]);
      expect(time.sleeps).toEqual([]);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'fallback',
          fromModelId: adapter.id,
          toModelId: fallbackId,
          category: failure.category,
          reason: 'not-retryable',
          attempts: 1,
        }),
      ]);
    },
  );

  it('names a too-large output request, and falls back on it when the chain says so', async () => {
    const tooLarge: ScriptedReply = {
      type: 'error',
      status: 400,
      message: 'max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens',
    };
    server.enqueue(tooLarge);
    const strict = setup([adapter.id, fallbackId]);
    const failure = strict.model.generate(ask, { signal });
    await expect(failure).rejects.toMatchObject({ type: 'bad-request', limitExceeded: 'output' });
    await expect(failure).rejects.toThrow(`set limits["${adapter.id}"].maxOutputTokens`);

    server.enqueue(tooLarge, { type: 'text', text: 'Fits here.' });
    const lenient = setup([adapter.id, fallbackId], { fallbackOn: ['retryable', 'too-large'] });
    expect(await lenient.model.generate(ask, { signal })).toMatchObject({ modelId: fallbackId });
    expect(lenient.events).toEqual([expect.objectContaining({ type: 'fallback', category: 'too-large' })]);
  });
});

describe('retry budget over a real adapter', () => {
  const id = 'openai-chat:gpt-4.1';
  const unavailable: ScriptedReply = { type: 'error', status: 503, message: 'upstream unavailable' };
  const answer: ScriptedReply = { type: 'text', text: 'Back again.' };

  it('rides out a 90-second outage of the only model, resending the same request until it answers', async () => {
    const { model, time, events } = setup([id]);
    const startedAt = time.clock();
    server.onRequest = scriptOutage(() => server, {
      clock: time.clock,
      endsAt: startedAt + 90_000,
      failure: unavailable,
      answer,
    });
    const response = await model.generate(ask, { signal });
    expect(response).toMatchObject({ text: 'Back again.', modelId: id });
    expect(time.clock() - startedAt).toBeGreaterThanOrEqual(90_000);
    // The default breaker opens after 5 failures; with no fallback it must not end the call.
    expect(events.filter((event) => event.type === 'retry').length).toBe(server.requests.length - 1);
    expect(server.requests.length).toBeGreaterThan(5);
    const bodies = new Set(server.requests.map((request) => JSON.stringify(request.body)));
    expect(bodies.size).toBe(1);
  });

  it('fails with the elapsed time and attempts once the budget is spent', async () => {
    const { model, events } = setup([id]);
    server.onRequest = scriptOutage(() => server, {
      clock: Date.now,
      endsAt: Infinity,
      failure: unavailable,
      answer,
    });
    const failure = model.generate(ask, { signal });
    await expect(failure).rejects.toMatchObject({ type: 'unavailable', modelId: 'router:worker' });
    // Full jitter at 0.5 of 1 s doubling to 60 s: the 15th failure comes at 272 s, and 30 s more would pass 300 s.
    await expect(failure).rejects.toThrow(
      /openai-chat:gpt-4\.1: gave up after 15 attempts over 4 min 32 s \(the retry budget, retry\.maxElapsedMs, is 5 min\): HTTP 503/,
    );
    expect(events.at(-1)).toMatchObject({ type: 'call-failed', reason: 'chain-exhausted', attempts: 15 });
  });

  it('falls back once the budget is spent on a model that keeps failing', async () => {
    const fallbackId = 'anthropic:claude-haiku-4-5';
    const { model, events } = setup([id, fallbackId], { breaker: { failureThreshold: 1_000 } });
    server.onRequest = (request) =>
      server.enqueue(request.protocol === 'anthropic-messages' ? answer : unavailable);
    expect(await model.generate(ask, { signal })).toMatchObject({ modelId: fallbackId });
    expect(events.at(-1)).toMatchObject({
      type: 'fallback',
      reason: 'retry-budget-spent',
      attempts: 15,
      elapsedMs: 271_500,
    });
  });
});
