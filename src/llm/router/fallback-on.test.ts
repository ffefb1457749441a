import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../model.ts';
import { ModelError } from '../model-error.ts';
import { createScriptedRouter as setup } from '../testing/scripted-router.ts';
import { fallbackCategoryOf } from './fallback-category.ts';

const request: ModelRequest = { messages: [{ role: 'user', content: 'hello' }] };
const signal = new AbortController().signal;
const ok = { type: 'text', text: 'fine' } as const;
const unauthorized = { type: 'error', errorType: 'auth', statusCode: 401, message: 'invalid key' } as const;
const notFound = {
  type: 'error',
  errorType: 'not-found',
  statusCode: 404,
  message: 'no such model',
} as const;

describe('fallbackOn', () => {
  it('falls back on auth, not-found and quota by default, trying each model once', async () => {
    const { router, events, models, time } = setup({
      'openai:a': [unauthorized],
      'openai:b': [notFound],
      'openai:c': [{ type: 'error', errorType: 'quota-exceeded', statusCode: 429 }],
      'anthropic:d': [ok],
    });
    expect((await router.modelFor('worker').generate(request, { signal })).modelId).toBe('anthropic:d');
    expect(time.sleeps).toEqual([]);
    expect([...models.values()].map((model) => model.requests.length)).toEqual([1, 1, 1, 1]);
    expect(events.map((event) => event.type === 'fallback' && [event.fromModelId, event.category])).toEqual([
      ['openai:a', 'auth'],
      ['openai:b', 'not-found'],
      ['openai:c', 'quota'],
    ]);
  });

  it("takes each role's own list, then the default list, and surfaces what is not on it", async () => {
    const scripts = { 'openai:a': [unauthorized, unauthorized], 'anthropic:b': [ok] };
    const { router, events, models } = setup(scripts, {
      roles: { judge: ['openai:a', 'anthropic:b'], worker: ['openai:a', 'anthropic:b'] },
      fallbackOn: { judge: ['retryable'], default: ['retryable', 'auth'] },
    });
    await expect(router.modelFor('judge').generate(request, { signal })).rejects.toMatchObject({
      type: 'auth',
      modelId: 'openai:a',
    });
    expect(models.get('anthropic:b')?.requests).toHaveLength(0);
    expect(events).toEqual([
      expect.objectContaining({ type: 'call-failed', reason: 'fallback-not-allowed', category: 'auth' }),
    ]);
    expect((await router.modelFor('worker').generate(request, { signal })).modelId).toBe('anthropic:b');
  });

  it('ends with the last error type, not retryable, when every model failed for good', async () => {
    const { router, events } = setup({ 'openai:a': [unauthorized], 'openai:b': [notFound] });
    const failure = router.modelFor('worker').generate(request, { signal });
    await expect(failure).rejects.toMatchObject({
      type: 'not-found',
      retryable: false,
      modelId: 'router:worker',
    });
    await expect(failure).rejects.toThrow(/openai:a: .*invalid key; openai:b: .*no such model/);
    expect(events.at(-1)).toMatchObject({ type: 'call-failed', reason: 'chain-exhausted', attempts: 2 });
  });

  it('stops retrying a model when its retries are spent and retryable is not on the list', async () => {
    const serverError = { type: 'error', errorType: 'server', message: 'boom' } as const;
    const { router, models } = setup(
      { 'openai:a': [serverError, serverError, serverError], 'anthropic:b': [ok] },
      { fallbackOn: { default: ['auth'] } },
    );
    const failure = router.modelFor('worker').generate(request, { signal });
    await expect(failure).rejects.toMatchObject({ type: 'server', retryable: true, modelId: 'openai:a' });
    await expect(failure).rejects.toThrow(
      /gave up after 3 attempts over 2 s \(retry\.maxAttempts is 3\): boom/,
    );
    expect(models.get('anthropic:b')?.requests).toHaveLength(0);
  });

  it('puts every error type in one category, and an output cap the model refuses under too-large', () => {
    const error = (type: ModelError['type'], limitExceeded: 'output' | null = null) =>
      new ModelError({ type, modelId: 'openai:a', message: 'x', limitExceeded });
    expect(fallbackCategoryOf(error('missing-credentials'))).toBe('auth');
    expect(fallbackCategoryOf(error('bad-request'))).toBe('bad-request');
    expect(fallbackCategoryOf(error('bad-request', 'output'))).toBe('too-large');
    expect(fallbackCategoryOf(error('context-overflow'))).toBe('too-large');
    expect(fallbackCategoryOf(error('aborted'))).toBeNull();
  });
});
