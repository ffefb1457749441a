import { describe, expect, it } from 'vitest';
import { parseModelsConfig } from '../models-config.ts';
import { createScriptedRouter } from '../testing/scripted-router.ts';
import { modelLimitsFor, roleLimitsFor } from './model-limits.ts';

const noConfig = { limits: {} };

describe('model limits', () => {
  it('knows the published limits of model families, dated snapshots included, on both OpenAI protocols', () => {
    expect(modelLimitsFor(noConfig, 'anthropic:claude-opus-4-5-20251101')).toMatchObject({
      contextWindowTokens: 200_000,
      maxOutputTokens: 64_000,
      sources: { maxOutputTokens: { type: 'known', name: 'claude-opus-4-5' } },
    });
    expect(modelLimitsFor(noConfig, 'anthropic:claude-3-5-haiku-latest').maxOutputTokens).toBe(8_192);
    expect(modelLimitsFor(noConfig, 'anthropic:claude-3-haiku-20240307').maxOutputTokens).toBe(4_096);
    expect(modelLimitsFor(noConfig, 'openai-chat:gpt-4o-mini').maxOutputTokens).toBe(16_384);
    expect(modelLimitsFor(noConfig, 'openai:gpt-5-mini-2025-08-07').maxOutputTokens).toBe(128_000);
    expect(modelLimitsFor(noConfig, 'openai:gpt-5-chat-latest').maxOutputTokens).toBe(16_384);
  });

  it('assumes little of unknown models, and least of self-hosted servers', () => {
    expect(modelLimitsFor(noConfig, 'openai-compatible:local')).toMatchObject({
      contextWindowTokens: 32_768,
      maxOutputTokens: 4_096,
      sources: { contextWindowTokens: { type: 'provider-default', provider: 'openai-compatible' } },
    });
    expect(modelLimitsFor(noConfig, 'anthropic:claude-next')).toMatchObject({ maxOutputTokens: 32_000 });
    expect(modelLimitsFor(noConfig, 'openai-chat:some-proxy-model')).toMatchObject({
      maxOutputTokens: 16_384,
    });
  });

  it('takes each field from the exact id, then <provider>:*, then the built-ins', () => {
    const config = parseModelsConfig({
      limits: {
        'openai-compatible:*': { contextWindowTokens: 8_192, maxOutputTokens: 2_048 },
        'openai-compatible:big': { contextWindowTokens: 131_072 },
        'anthropic:claude-sonnet-4-5': { maxOutputTokens: 8_000 },
      },
    });
    expect(modelLimitsFor(config, 'openai-compatible:small')).toMatchObject({
      contextWindowTokens: 8_192,
      maxOutputTokens: 2_048,
    });
    expect(modelLimitsFor(config, 'openai-compatible:big')).toMatchObject({
      contextWindowTokens: 131_072,
      maxOutputTokens: 2_048,
      sources: {
        contextWindowTokens: { type: 'config', key: 'openai-compatible:big' },
        maxOutputTokens: { type: 'config', key: 'openai-compatible:*' },
      },
    });
    expect(modelLimitsFor(config, 'anthropic:claude-sonnet-4-5')).toMatchObject({
      contextWindowTokens: 200_000,
      maxOutputTokens: 8_000,
    });
  });

  it('gives a role the smallest window and output cap of the chain serving it, the default chain included', () => {
    const config = parseModelsConfig({
      roles: {
        worker: ['anthropic:claude-opus-4-5', 'openai-chat:gpt-4o'],
        default: ['openai-compatible:local'],
      },
      limits: { 'openai-compatible:local': { contextWindowTokens: 16_384, maxOutputTokens: 2_048 } },
    });
    expect(roleLimitsFor(config, 'worker')).toMatchObject({
      contextWindowTokens: 128_000,
      maxOutputTokens: 16_384,
      models: [{ modelId: 'anthropic:claude-opus-4-5' }, { modelId: 'openai-chat:gpt-4o' }],
    });
    expect(roleLimitsFor(config, 'planner')).toMatchObject({
      contextWindowTokens: 16_384,
      maxOutputTokens: 2_048,
    });
    expect(() => roleLimitsFor({ roles: { worker: ['sim:echo'] }, limits: {} }, 'judge')).toThrow(
      /no model chain .* "judge"/,
    );
  });

  it('answers the same through the router, from the limits it was given', () => {
    const { router } = createScriptedRouter(
      { 'openai-compatible:a': [], 'anthropic:claude-haiku-4-5': [] },
      { limits: { 'openai-compatible:a': { contextWindowTokens: 8_192 } } },
    );
    expect(router.roleLimitsFor('worker')).toMatchObject({
      contextWindowTokens: 8_192,
      maxOutputTokens: 4_096,
    });
    expect(router.modelLimitsFor('anthropic:claude-haiku-4-5').maxOutputTokens).toBe(64_000);
  });
});
