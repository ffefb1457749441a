import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Clock, ModelsConfig, ModelTransport } from '../protocol/index.ts';
import type { Sleep } from './abortable.ts';
import { resolveConnection } from './credentials.ts';
import { createLanguageModelAdapter } from './language-model-adapter.ts';
import { modelLimitsFor } from './limits/model-limits.ts';
import type { Model } from './model.ts';
import { ModelError } from './model-error.ts';
import { parseModelId } from './model-id.ts';
import { transportFor } from './model-transport.ts';
import { createSimPolicyRegistry } from './sim/builtin-policies.ts';
import { createSimLanguageModel } from './sim/sim-language-model.ts';
import type { SimPolicy } from './sim/sim-policy.ts';

/** What building a model from its id needs. */
export interface CreateModelOptions {
  config: ModelsConfig;
  env: NodeJS.ProcessEnv;
  /** Policies for `sim:<policy>` ids; the built-in ones are used when omitted. */
  simPolicies?: ReadonlyMap<string, SimPolicy>;
  /** `stream` or `generate` (one JSON response per call), over the config's `transport`; tests use it. */
  transport?: ModelTransport;
  /** Replaces global fetch, for tests and proxies. */
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Used by sim models for their simulated latency. */
  sleep?: Sleep;
}

function createLanguageModel(id: string, options: CreateModelOptions): LanguageModelV3 {
  const parsed = parseModelId(id);
  const resolved = resolveConnection(parsed, options.config, options.env);
  if (resolved.type === 'missing') {
    throw new ModelError({ type: 'missing-credentials', modelId: id, message: resolved.message });
  }
  const { apiKey, baseURL, wireModel } = resolved.connection;
  const common = {
    ...(apiKey === null ? {} : { apiKey }),
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  switch (parsed.type) {
    case 'openai':
      return createOpenAI(common).responses(wireModel);
    case 'openai-chat':
      return createOpenAI(common).chat(wireModel);
    case 'anthropic':
      return createAnthropic(common).messages(wireModel);
    case 'openai-compatible':
      return createOpenAICompatible({
        ...common,
        name: parsed.name,
        baseURL: baseURL ?? '',
        includeUsage: true,
      }).chatModel(wireModel);
    case 'sim': {
      const policies = options.simPolicies ?? createSimPolicyRegistry();
      const policy = policies.get(parsed.name);
      if (policy === undefined) {
        const known = [...policies.keys()].join(', ');
        throw new ModelError({
          type: 'not-found',
          modelId: id,
          message: `no sim policy named "${parsed.name}"; known policies: ${known}`,
        });
      }
      return createSimLanguageModel({
        policy,
        settings: options.config.sim,
        ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      });
    }
  }
}

/**
 * Builds the Model for an id such as `openai:gpt-5.2`; it asks for no more output than the model's
 * configured (or built-in) cap, and streams unless the options or the config's `transport` say `generate`.
 * Throws a ModelError (`missing-credentials`, `not-found`) when the id cannot be served as configured, or an
 * Error when the id itself is malformed.
 */
export function createModel(id: string, options: CreateModelOptions): Model {
  return createLanguageModelAdapter({
    id,
    languageModel: createLanguageModel(id, options),
    timeoutMs: options.config.callTimeoutMs,
    maxOutputTokens: modelLimitsFor(options.config, id).maxOutputTokens,
    transport: options.transport ?? transportFor(options.config, id).transport,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}
