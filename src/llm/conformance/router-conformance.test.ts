import { describe, expect, it } from 'vitest';
import type { FallbackCategory } from '../../protocol/index.ts';
import { createModel } from '../create-model.ts';
import type { ModelRequest } from '../model.ts';
import { createModelRouter } from '../router/model-router.ts';
import type { RouterEvent } from '../router/router-events.ts';
import { createFakeTime } from '../testing/fake-time.ts';
import { adapterCases, configFor, testEnv } from './adapter-cases.ts';
import { createSharedProtocolServer } from './shared-protocol-server.ts';

const ask: ModelRequest = { messages: [{ role: 'user', content: 'Say hello.' }] };
const signal = new AbortController().signal;

const server = createSharedProtocolServer();

describe.each(adapterCases)('router over $id', (adapter) => {
  // The fallback speaks a different wire protocol, so the recorded requests show who answered.
  const fallbackId =
    adapter.protocol === 'anthropic-messages' ? 'openai-chat:gpt-4.1-mini' : 'anthropic:claude-haiku-4-5';

  function setup(failureThreshold = 5, fallbackOn: Record<string, FallbackCategory[]> = {}) {
    const time = createFakeTime();
    const events: RouterEvent[] = [];
    const config = configFor(server.baseURL);
    const router = createModelRouter({
      roles: { worker: [adapter.id, fallbackId] },
      createModel: (id) => createModel(id, { config, env: testEnv }),
      retry: {
        maxElapsedMs: 300_000,
        initialDelayMs: 100,
        maxDelayMs: 1_000,
        maxRetryAfterMs: 10_000,
        maxAttempts: 2,
      },
      breaker: { failureThreshold, coolDownMs: 60_000 },
      fallbackOn,
      onEvent: (event) => events.push(event),
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
    });
    return { model: router.modelFor('worker'), time, events, router };
  }

  it('retries a 429 after its Retry-After and a torn stream, then succeeds on the same model', async () => {
    const { model, time, events } = setup();
    server.enqueue(
      { type: 'error', status: 429, headers: { 'retry-after': '3' }, message: 'slow down' },
      { type: 'text', text: 'Hello.' },
    );
    const response = await model.generate(ask, { signal });
    expect(response).toMatchObject({ text: 'Hello.', modelId: adapter.id });
    expect(time.sleeps).toEqual([3_000]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'retry',
        modelId: adapter.id,
        error: expect.objectContaining({ type: 'rate-limit' }),
      }),
    ]);

    server.enqueue(
      { type: 'torn', answer: { type: 'text', text: 'cut short' }, afterEvents: 2 },
      { type: 'text', text: 'Whole.' },
    );
    expect((await model.generate(ask, { signal })).text).toBe('Whole.');
  });

  it('falls back to the next model after repeated server errors', async () => {
    const { model, events } = setup();
    server.enqueue(
      { type: 'error', status: 500, message: 'boom' },
      { type: 'error', status: 502, message: 'bad gateway' },
      { type: 'text', text: 'From the fallback.' },
    );
    const response = await model.generate(ask, { signal });
    expect(response).toMatchObject({ text: 'From the fallback.', modelId: fallbackId });
    expect(server.requests.map((request) => request.body.model)).toEqual([
      adapter.wireModel,
      adapter.wireModel,
      fallbackId.split(':')[1],
    ]);
    expect(events.map((event) => event.type)).toEqual(['retry', 'fallback']);
  });

  it('skips a model with an open breaker until its cool-down ends', async () => {
    const { model, time, router } = setup(1);
    server.enqueue(
      { type: 'error', status: 503, message: 'down' },
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    );
    expect((await model.generate(ask, { signal })).modelId).toBe(fallbackId);
    expect(router.breakerState(adapter.id).type).toBe('open');
    expect((await model.generate(ask, { signal })).modelId).toBe(fallbackId);
    expect(server.requests).toHaveLength(3);

    time.advance(60_000);
    server.enqueue({ type: 'text', text: 'back' });
    expect(await model.generate(ask, { signal })).toMatchObject({ text: 'back', modelId: adapter.id });
    expect(router.breakerState(adapter.id).type).toBe('closed');
  });

  it('surfaces a 401 at once, without retry or fallback, when the chain does not fall back on auth', async () => {
    const { model } = setup(5, { worker: ['retryable'] });
    server.enqueue({ type: 'error', status: 401, message: 'invalid key' });
    await expect(model.generate(ask, { signal })).rejects.toMatchObject({
      type: 'auth',
      modelId: adapter.id,
    });
    expect(server.requests).toHaveLength(1);
  });
});
