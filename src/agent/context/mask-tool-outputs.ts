import type { ModelMessage, ModelToolResult } from '../../llm/index.ts';
import type { TokenCounter } from './token-counter.ts';

/** Every masked tool output starts with this, so it is never masked twice. */
export const maskedOutputPrefix = '[output removed to save context:';

const worthMaskingTokens = 64;

/** Messages after masking, and how many tool results were replaced. */
export interface MaskResult {
  messages: ModelMessage[];
  maskedCount: number;
}

/**
 * Replaces the output of every tool result but the newest `keepRecent` with a short placeholder. Old
 * outputs are the cheapest context to lose: the model already acted on them and can call the tool
 * again. Messages are replaced, never edited, so cached token counts stay right.
 */
export function maskToolOutputs(
  messages: readonly ModelMessage[],
  keepRecent: number,
  counter: TokenCounter,
): MaskResult {
  let toKeep = keepRecent;
  let maskedCount = 0;
  const masked = new Array<ModelMessage>(messages.length);
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role !== 'tool') {
      masked[index] = message;
      continue;
    }
    const results = [...message.results];
    let changed = false;
    for (let resultIndex = results.length - 1; resultIndex >= 0; resultIndex--) {
      const result = results[resultIndex]!;
      if (toKeep > 0) {
        toKeep -= 1;
        continue;
      }
      if (result.output.startsWith(maskedOutputPrefix)) continue;
      // A placeholder costs about this much; masking a shorter output would only grow the context.
      if (counter.countText(result.output) <= worthMaskingTokens) continue;
      results[resultIndex] = placeholder(result, counter);
      changed = true;
      maskedCount += 1;
    }
    masked[index] = changed ? { role: 'tool', results } : message;
  }
  return { messages: masked, maskedCount };
}

function placeholder(result: ModelToolResult, counter: TokenCounter): ModelToolResult {
  const tokens = counter.countText(result.output);
  const outcome = result.isError ? 'an error' : 'output';
  return {
    ...result,
    output: `${maskedOutputPrefix} ${result.toolName} returned ${outcome} of ${tokens} tokens here; call it again if you need it]`,
  };
}
