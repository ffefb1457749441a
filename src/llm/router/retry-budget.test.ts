import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../model.ts';
import { createScriptedRouter as setup, testRetryPolicy } from '../testing/scripted-router.ts';
import { backoffDelay, formatDuration } from './backoff.ts';

const request: ModelRequest = { messages: [{ role: 'user', content: 'hello' }] };
const signal = new AbortController().signal;
const serverError = { type: 'error', errorType: 'server', message: 'overloaded' } as const;
const ok = { type: 'text', text: 'fine' } as const;
const timeBudget = { ...testRetryPolicy, maxAttempts: undefined, maxElapsedMs: 60_000 };

describe('retry budget', () => {
  it('draws each wait from 0 up to a doubling cap, and never below Retry-After', () => {
    const policy = { ...testRetryPolicy, initialDelayMs: 1_000, maxDelayMs: 8_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, () => 1, null))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
    expect(backoffDelay(3, policy, () => 0, null)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.25, null)).toBe(1_000);
    expect(backoffDelay(1, policy, () => 1, 3_000)).toBe(3_000);
  });

  it('keeps retrying by time, not by count, when no attempt cap is set', async () => {
    const { router, time, events } = setup(
      { 'openai:a': [...Array(10).fill(serverError), ok] },
      { retry: timeBudget },
    );
    expect((await router.modelFor('worker').generate(request, { signal })).text).toBe('fine');
    // Full jitter at 0.5 of a cap doubling from 1 s to 8 s.
    expect(time.sleeps).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000, 4_000, 4_000, 4_000]);
    expect(events.filter((event) => event.type === 'retry').at(-1)).toMatchObject({
      attempt: 10,
      elapsedMs: 27_500,
    });
    // Its breaker opened on the way; being the last model of the chain it was still retried, and closed again.
    expect(events.filter((event) => event.type.startsWith('breaker')).map((event) => event.type)).toEqual([
      'breaker-opened',
      'breaker-closed',
    ]);
  });

  it('does not wait for a Retry-After that would end past the budget', async () => {
    const slowDown = { type: 'error', errorType: 'rate-limit', retryAfterMs: 50_000 } as const;
    const { router, time } = setup({ 'openai:a': [slowDown, slowDown] }, { retry: timeBudget });
    const failure = router.modelFor('worker').generate(request, { signal });
    await expect(failure).rejects.toMatchObject({ type: 'unavailable', retryAfterMs: 50_000 });
    await expect(failure).rejects.toThrow(
      /gave up after 2 attempts over 50 s \(the retry budget, retry\.maxElapsedMs, is 1 min\)/,
    );
    expect(time.sleeps).toEqual([50_000]);
  });

  it('spends one budget across the chain: a later model still gets its first attempt when it is all but gone', async () => {
    const { router, models } = setup(
      { 'openai:a': Array(20).fill(serverError), 'anthropic:b': [serverError, ok] },
      { retry: { ...timeBudget, maxElapsedMs: 7_600 }, breaker: { failureThreshold: 100, coolDownMs: 1 } },
    );
    await expect(router.modelFor('worker').generate(request, { signal })).rejects.toThrow(
      /openai:a: gave up after 5 attempts over 8 s .*anthropic:b: gave up after 1 attempt over 8 s/,
    );
    expect(models.get('anthropic:b')?.requests).toHaveLength(1);
  });

  it('formats durations for people', () => {
    expect([850, 42_000, 60_000, 275_400].map(formatDuration)).toEqual([
      '850 ms',
      '42 s',
      '1 min',
      '4 min 35 s',
    ]);
  });
});
