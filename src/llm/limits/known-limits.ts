import type { ModelProviderType } from '../model-id.ts';

/** A context window and output cap, both in tokens. */
export interface TokenLimits {
  contextWindowTokens: number;
  maxOutputTokens: number;
}

/** When the tables below were last checked against the providers' model pages. */
export const knownLimitsCheckedAt = '2025-12-01';

/**
 * Published limits keyed by model name, for OpenAI (both wire protocols) and Anthropic. Dated snapshots and
 * variants (`claude-sonnet-4-5-20250929`, `gpt-5-mini-2025-08-07`) match the longest key followed by `-`.
 */
export const knownLimits: Readonly<Record<string, TokenLimits>> = {
  'gpt-5.2': { contextWindowTokens: 400_000, maxOutputTokens: 128_000 },
  'gpt-5.1': { contextWindowTokens: 400_000, maxOutputTokens: 128_000 },
  'gpt-5': { contextWindowTokens: 400_000, maxOutputTokens: 128_000 },
  'gpt-5.2-chat': { contextWindowTokens: 128_000, maxOutputTokens: 16_384 },
  'gpt-5.1-chat': { contextWindowTokens: 128_000, maxOutputTokens: 16_384 },
  'gpt-5-chat': { contextWindowTokens: 128_000, maxOutputTokens: 16_384 },
  'gpt-4.1': { contextWindowTokens: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4o': { contextWindowTokens: 128_000, maxOutputTokens: 16_384 },
  'gpt-4-turbo': { contextWindowTokens: 128_000, maxOutputTokens: 4_096 },
  'gpt-4': { contextWindowTokens: 8_192, maxOutputTokens: 4_096 },
  'gpt-3.5-turbo': { contextWindowTokens: 16_385, maxOutputTokens: 4_096 },
  o1: { contextWindowTokens: 200_000, maxOutputTokens: 100_000 },
  o3: { contextWindowTokens: 200_000, maxOutputTokens: 100_000 },
  'o4-mini': { contextWindowTokens: 200_000, maxOutputTokens: 100_000 },
  'claude-opus-4-5': { contextWindowTokens: 200_000, maxOutputTokens: 64_000 },
  'claude-sonnet-4-5': { contextWindowTokens: 200_000, maxOutputTokens: 64_000 },
  'claude-haiku-4-5': { contextWindowTokens: 200_000, maxOutputTokens: 64_000 },
  'claude-opus-4-1': { contextWindowTokens: 200_000, maxOutputTokens: 32_000 },
  'claude-opus-4': { contextWindowTokens: 200_000, maxOutputTokens: 32_000 },
  'claude-sonnet-4': { contextWindowTokens: 200_000, maxOutputTokens: 64_000 },
  'claude-3-7-sonnet': { contextWindowTokens: 200_000, maxOutputTokens: 64_000 },
  'claude-3-5-sonnet': { contextWindowTokens: 200_000, maxOutputTokens: 8_192 },
  'claude-3-5-haiku': { contextWindowTokens: 200_000, maxOutputTokens: 8_192 },
  'claude-3': { contextWindowTokens: 200_000, maxOutputTokens: 4_096 },
};

/**
 * Limits for models the tables do not name. Hosted providers get what their current models all accept.
 * Self-hosted servers get a small window, because vLLM, llama.cpp and Ollama are often started with one
 * much smaller than the model's own. The simulator gets a huge window so that it never constrains anything.
 */
export function providerDefaultLimits(provider: ModelProviderType): TokenLimits {
  switch (provider) {
    case 'openai':
    case 'openai-chat':
      return { contextWindowTokens: 128_000, maxOutputTokens: 16_384 };
    case 'anthropic':
      return { contextWindowTokens: 200_000, maxOutputTokens: 32_000 };
    case 'openai-compatible':
      return { contextWindowTokens: 32_768, maxOutputTokens: 4_096 };
    case 'sim':
      return { contextWindowTokens: 1_000_000, maxOutputTokens: 128_000 };
  }
}
