import { describe, expect, it } from 'vitest';
import { parseModelsConfig } from './models-config.ts';

describe('parseModelsConfig', () => {
  it('fills in the retry budget, fallback categories and limits when the config says nothing', () => {
    const config = parseModelsConfig({});
    expect(config.retry).toEqual({
      maxElapsedMs: 300_000,
      initialDelayMs: 1_000,
      maxDelayMs: 60_000,
      maxRetryAfterMs: 120_000,
    });
    expect(config.fallbackOn).toEqual({});
    expect(config.limits).toEqual({});
  });

  it('takes fallbackOn as one list for every chain or as lists keyed by role', () => {
    expect(parseModelsConfig({ fallbackOn: ['retryable', 'bad-request'] }).fallbackOn).toEqual({
      default: ['retryable', 'bad-request'],
    });
    expect(parseModelsConfig({ fallbackOn: { judge: ['retryable'] } }).fallbackOn).toEqual({
      judge: ['retryable'],
    });
    expect(() => parseModelsConfig({ fallbackOn: ['retryable', 'billing'] })).toThrow(
      /unknown fallback category "billing"; use retryable, auth, not-found, quota, too-large/,
    );
  });

  it('says what is wrong with a limits entry and what to write instead', () => {
    expect(() => parseModelsConfig({ limits: { 'llama-3': { maxOutputTokens: 1 } } })).toThrow(
      /a limits key is a model id .* or a provider followed by :\*/,
    );
    expect(() =>
      parseModelsConfig({ limits: { 'openai-compatible:*': { contextWindowTokens: 512 } } }),
    ).toThrow(/contextWindowTokens must be at least 1000/);
    expect(() =>
      parseModelsConfig({
        limits: { 'anthropic:x': { contextWindowTokens: 8_192, maxOutputTokens: 8_192 } },
      }),
    ).toThrow(/maxOutputTokens must be smaller than contextWindowTokens/);
    expect(() => parseModelsConfig({ limits: { 'anthropic:x': {} } })).toThrow(
      /needs contextWindowTokens, maxOutputTokens or both/,
    );
    expect(() => parseModelsConfig({ limits: { 'anthropic:x': { maxOutputTokens: 2.5 } } })).toThrow(
      /maxOutputTokens must be a whole number/,
    );
  });

  it('passes on the message of a bad role name instead of "Invalid key in record"', () => {
    expect(() => parseModelsConfig({ roles: { Worker: ['sim:echo'] } })).toThrow(
      /a role is a lowercase word such as "worker"/,
    );
  });

  it('points a retry setting from an older config at its new name', () => {
    expect(() => parseModelsConfig({ retry: { baseDelayMs: 500 } })).toThrow(
      /"baseDelayMs" was renamed "initialDelayMs"/,
    );
    expect(parseModelsConfig({ retry: { maxAttempts: 5 } }).retry.maxAttempts).toBe(5);
  });
});
