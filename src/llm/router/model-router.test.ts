import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../model.ts';
import { ModelError } from '../model-error.ts';
import { createFakeTime } from '../testing/fake-time.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { testRetryPolicy as retry, createScriptedRouter as setup } from '../testing/scripted-router.ts';
import { createModelRouter } from './model-router.ts';

const request: ModelRequest = { messages: [{ role: 'user', content: 'hello' }] };
const signal = new AbortController().signal;
const breaker = { failureThreshold: 5, coolDownMs: 30_000 };

const ok = { type: 'text', text: 'fine' } as const;
const rateLimited = { type: 'error', errorType: 'rate-limit', retryAfterMs: 5_000 } as const;
const serverError = { type: 'error', errorType: 'server' } as const;

describe('model router', () => {
  it('retries with exponential backoff and full jitter, honoring Retry-After as a floor', async () => {
    const { router, time, events } = setup({ 'openai:a': [serverError, rateLimited, ok] });
    const response = await router.modelFor('worker').generate(request, { signal });
    expect(response.text).toBe('fine');
    expect(response.modelId).toBe('openai:a');
    // Attempt 1: cap 1000, full jitter at 0.5 → 500. Attempt 2: cap 2000 → 1000, raised to Retry-After 5000.
    expect(time.sleeps).toEqual([500, 5_000]);
    expect(events.map((event) => event.type)).toEqual(['retry', 'retry']);
    expect(events[1]).toMatchObject({
      type: 'retry',
      attempt: 2,
      delayMs: 5_000,
      elapsedMs: 500,
      error: { type: 'rate-limit' },
    });
  });

  it('falls back down the chain after the retries of a model are spent', async () => {
    const { router, events } = setup({
      'openai:a': [serverError, serverError, serverError],
      'anthropic:b': [ok],
    });
    const response = await router.modelFor('worker').generate(request, { signal });
    expect(response.modelId).toBe('anthropic:b');
    expect(events.filter((event) => event.type === 'fallback')).toEqual([
      expect.objectContaining({
        fromModelId: 'openai:a',
        toModelId: 'anthropic:b',
        category: 'retryable',
        reason: 'max-attempts',
        attempts: 3,
        error: expect.objectContaining({ type: 'server' }),
      }),
    ]);
  });

  it('falls back at once when Retry-After is longer than it is willing to wait', async () => {
    const { router, time, events } = setup({
      'openai:a': [{ type: 'error', errorType: 'rate-limit', retryAfterMs: 600_000 }],
      'anthropic:b': [ok],
    });
    const response = await router.modelFor('worker').generate(request, { signal });
    expect(response.modelId).toBe('anthropic:b');
    expect(time.sleeps).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ type: 'fallback', reason: 'retry-after-too-long' })]);
  });

  it('surfaces failures outside the fallback categories at once (context overflow, so the agent compacts)', async () => {
    const { router, events, models } = setup({
      'openai:a': [{ type: 'error', errorType: 'context-overflow', message: 'prompt is too long' }],
      'anthropic:b': [ok],
    });
    const failure = router.modelFor('worker').generate(request, { signal });
    await expect(failure).rejects.toMatchObject({ type: 'context-overflow', retryable: false });
    expect(models.get('anthropic:b')?.requests).toHaveLength(0);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'call-failed',
        modelId: 'openai:a',
        reason: 'fallback-not-allowed',
        category: 'too-large',
        attempts: 1,
      }),
    ]);
  });

  it('reports "unavailable" with every reason when the whole chain fails', async () => {
    const { router } = setup({
      'openai:a': [serverError, serverError, serverError],
      'anthropic:b': [rateLimited, rateLimited, rateLimited],
    });
    const failure = router.modelFor('worker').generate(request, { signal });
    await expect(failure).rejects.toMatchObject({
      type: 'unavailable',
      retryable: true,
      retryAfterMs: 5_000,
    });
    await expect(failure).rejects.toThrow(/every model for role "worker" failed: .*openai:a.*anthropic:b/);
  });

  it('opens the breaker after repeated failures, skips the model while cooling down, then tries it again', async () => {
    const { router, events, time, models } = setup(
      { 'openai:a': [serverError, serverError, serverError], 'anthropic:b': [ok, ok, ok] },
      { breaker: { failureThreshold: 2, coolDownMs: 30_000 } },
    );
    const model = router.modelFor('worker');
    // Two failures open the breaker, so the third retry is not spent: fall back instead.
    expect((await model.generate(request, { signal })).modelId).toBe('anthropic:b');
    expect(models.get('openai:a')?.requests).toHaveLength(2);
    expect(router.breakerState('openai:a')).toMatchObject({ type: 'open' });

    expect((await model.generate(request, { signal })).modelId).toBe('anthropic:b');
    expect(models.get('openai:a')?.requests).toHaveLength(2);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'model-skipped', modelId: 'openai:a', retryInMs: 30_000 }),
    );

    time.advance(30_000);
    // Half-open: one trial; it fails, so the breaker opens again at once instead of retrying.
    expect((await model.generate(request, { signal })).modelId).toBe('anthropic:b');
    expect(models.get('openai:a')?.requests).toHaveLength(3);
    expect(router.breakerState('openai:a')).toMatchObject({ type: 'open' });
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'breaker-opened')).toHaveLength(2);
    expect(types).toContain('breaker-half-open');
  });

  it('closes the breaker when the half-open trial succeeds', async () => {
    const { router, events, time } = setup(
      { 'openai:a': [serverError, ok], 'anthropic:b': [ok] },
      { breaker: { failureThreshold: 1, coolDownMs: 10_000 } },
    );
    const model = router.modelFor('worker');
    expect((await model.generate(request, { signal })).modelId).toBe('anthropic:b');
    time.advance(10_000);
    expect((await model.generate(request, { signal })).modelId).toBe('openai:a');
    expect(router.breakerState('openai:a')).toEqual({ type: 'closed', failures: 0 });
    expect(events.map((event) => event.type)).toEqual([
      'breaker-opened',
      'fallback',
      'breaker-half-open',
      'breaker-closed',
    ]);
  });

  it('stops waiting and rejects as aborted when the signal fires during backoff', async () => {
    const controller = new AbortController();
    const { router } = setup(
      { 'openai:a': [serverError, ok] },
      {
        sleep: async (_milliseconds, sleepSignal) => {
          controller.abort();
          if (sleepSignal.aborted) throw sleepSignal.reason;
        },
      },
    );
    await expect(
      router.modelFor('worker').generate(request, { signal: controller.signal }),
    ).rejects.toMatchObject({
      type: 'aborted',
    });
  });

  it('serves unknown roles from the default chain and names configured roles otherwise', async () => {
    const time = createFakeTime();
    const model = createScriptedModel([ok], { id: 'sim:echo' });
    const router = createModelRouter({
      roles: { default: ['sim:echo'] },
      createModel: () => model,
      retry,
      breaker,
      clock: time.clock,
      sleep: time.sleep,
    });
    expect((await router.modelFor('reviewer').generate(request, { signal })).text).toBe('fine');
    const strict = createModelRouter({
      roles: { worker: ['sim:echo'] },
      createModel: () => model,
      retry,
      breaker,
    });
    expect(() => strict.modelFor('judge')).toThrow(/no model chain .* "judge" \(configured roles: worker\)/);
  });

  it('turns a model that cannot be built into a clear non-retryable error naming the variable', async () => {
    const router = createModelRouter({
      roles: { worker: ['anthropic:x'] },
      createModel: (id) => {
        throw new ModelError({ type: 'missing-credentials', modelId: id, message: 'set ANTHROPIC_API_KEY' });
      },
      retry,
      breaker,
    });
    const failure = router.modelFor('worker').generate(request, { signal });
    await expect(failure).rejects.toMatchObject({ type: 'missing-credentials', retryable: false });
    await expect(failure).rejects.toThrow(/ANTHROPIC_API_KEY/);
  });
});
