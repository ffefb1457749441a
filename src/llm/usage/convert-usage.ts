import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { ModelUsage } from '../model.ts';

/** Cadre usage from AI SDK usage; the SDK already folds cached tokens into the input total for every provider. */
export function convertUsage(usage: LanguageModelV3Usage): ModelUsage {
  const cachedInputTokens = usage.inputTokens.cacheRead ?? 0;
  const cacheWriteTokens = usage.inputTokens.cacheWrite ?? 0;
  const inputTokens =
    usage.inputTokens.total ?? (usage.inputTokens.noCache ?? 0) + cachedInputTokens + cacheWriteTokens;
  const reasoningTokens = usage.outputTokens.reasoning ?? 0;
  const outputTokens = usage.outputTokens.total ?? (usage.outputTokens.text ?? 0) + reasoningTokens;
  return { inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens };
}
