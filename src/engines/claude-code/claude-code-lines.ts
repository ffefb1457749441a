import { z } from 'zod';
import type { ModelUsage } from '../../llm/index.ts';

// The lines of `claude -p --output-format stream-json --verbose --include-partial-messages`, as far
// as cadre reads them. Every object is loose: the program adds fields release after release.

/** Token counts of the Anthropic Messages API; input_tokens excludes cache reads and writes. */
export const AnthropicUsage = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsage>;

/** A content block of a message (text, tool_use, tool_result, thinking, image …). */
export const ContentBlock = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.unknown().optional(),
  is_error: z.boolean().nullish(),
});
export type ContentBlock = z.infer<typeof ContentBlock>;

/** `{"type":"system","subtype":"init",…}` opens a run; other subtypes report status, retries, compaction. */
export const SystemLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.string(),
  session_id: z.string().optional(),
  model: z.string().optional(),
});

/** `{"type":"system","subtype":"api_retry",…}`: a failed API call the program will try again. */
export const ApiRetryLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('api_retry'),
  attempt: z.number().optional(),
  max_retries: z.number().optional(),
  retry_delay_ms: z.number().optional(),
  error_status: z.number().nullish(),
  error: z.string().nullish(),
});

/** One raw server-sent event of the API stream (only with `--include-partial-messages`). */
export const StreamEventLine = z.looseObject({
  type: z.literal('stream_event'),
  event: z.looseObject({ type: z.string() }),
  parent_tool_use_id: z.string().nullish(),
});

export const MessageStartEvent = z.looseObject({
  type: z.literal('message_start'),
  message: z.looseObject({ id: z.string().optional(), model: z.string().optional(), usage: AnthropicUsage }),
});
export const ContentBlockStartEvent = z.looseObject({
  type: z.literal('content_block_start'),
  index: z.number(),
  content_block: ContentBlock,
});
export const ContentBlockDeltaEvent = z.looseObject({
  type: z.literal('content_block_delta'),
  index: z.number(),
  delta: z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    partial_json: z.string().optional(),
  }),
});
/** Its usage holds the final output_tokens, and may repeat (cumulative) input counts. */
export const MessageDeltaEvent = z.looseObject({
  type: z.literal('message_delta'),
  usage: AnthropicUsage.optional(),
});
export const MessageStopEvent = z.looseObject({ type: z.literal('message_stop') });

/**
 * A message of the model, one line per content block as it completes. Its usage is message_start's
 * (output_tokens 1), so it counts tokens only where no stream events came (a non-streaming fallback).
 * API failures come as a `<synthetic>` message flagged `is_api_error_message`.
 */
export const AssistantLine = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({
    id: z.string().optional(),
    model: z.string().optional(),
    content: z.array(ContentBlock),
    usage: AnthropicUsage.optional(),
  }),
  parent_tool_use_id: z.string().nullish(),
  is_api_error_message: z.boolean().optional(),
});

/** What goes back to the model: tool results (and, replayed, the user's own messages). */
export const UserLine = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(ContentBlock)]) }),
  parent_tool_use_id: z.string().nullish(),
});

/** The last line of a run. */
export const ResultLine = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean().optional(),
  result: z.string().optional(),
  session_id: z.string().optional(),
  errors: z.array(z.string()).optional(),
  terminal_reason: z.string().nullish(),
  api_error_status: z.number().nullish(),
  api_error_type: z.string().nullish(),
});

/** cadre's usage from the API's: cadre's input counts cache reads and writes too, as the native adapter's does. */
export function usageFromAnthropic(usage: AnthropicUsage): ModelUsage {
  const cachedInputTokens = usage.cache_read_input_tokens ?? 0;
  const cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage.input_tokens ?? 0) + cachedInputTokens + cacheWriteTokens,
    cachedInputTokens,
    cacheWriteTokens,
    outputTokens: usage.output_tokens ?? 0,
    reasoningTokens: 0,
  };
}

/** Fields of a later usage report replace the earlier ones they name (as Anthropic's SDK merges them). */
export function mergeUsage(earlier: AnthropicUsage, later: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...earlier };
  for (const key of [
    'input_tokens',
    'output_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
  ] as const) {
    const value = later[key];
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
