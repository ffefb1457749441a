import type { ModelUsage } from '../llm/index.ts';

/**
 * A run's usage from an engine's running totals: `total` less what was counted `before` it, never
 * negative, since a session file written by another version of the program might count differently.
 */
export function subtractUsage(total: ModelUsage, before: ModelUsage): ModelUsage {
  return {
    inputTokens: Math.max(0, total.inputTokens - before.inputTokens),
    cachedInputTokens: Math.max(0, total.cachedInputTokens - before.cachedInputTokens),
    cacheWriteTokens: Math.max(0, total.cacheWriteTokens - before.cacheWriteTokens),
    outputTokens: Math.max(0, total.outputTokens - before.outputTokens),
    reasoningTokens: Math.max(0, total.reasoningTokens - before.reasoningTokens),
  };
}
