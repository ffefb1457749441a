/** A tool the model may call: a name, what it is for, and its input as JSON Schema. */
export interface ModelToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** A tool call the model made. `input` is the parsed JSON; when the model sent bad JSON, `inputError` says why. */
export interface ModelToolCall {
  id: string;
  name: string;
  input: unknown;
  /** The JSON text exactly as the model produced it. */
  rawInput: string;
  inputError: string | null;
}

/** The outcome of one tool call, sent back to the model. */
export interface ModelToolResult {
  toolCallId: string;
  toolName: string;
  output: string;
  isError: boolean;
}

/** One message of a conversation; `role` is its tag. */
export type ModelMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls: ModelToolCall[] }
  | { role: 'tool'; results: ModelToolResult[] };

/** What one step of generation is asked to do. */
export interface ModelRequest {
  system?: string;
  messages: ModelMessage[];
  tools?: ModelToolDefinition[];
  /** `auto` by default; `required` forces a tool call; `none` forbids them. */
  toolChoice?: 'auto' | 'required' | 'none';
  maxOutputTokens?: number;
  temperature?: number;
}

/** Per-call controls that are not part of the conversation. */
export interface ModelCallOptions {
  signal: AbortSignal;
  /** Receives text as it streams; the full text is also in the response. */
  onTextDelta?: (delta: string) => void;
}

/**
 * Token counts of one call. `inputTokens` counts every input token, including the cached ones read
 * (`cachedInputTokens`) and written (`cacheWriteTokens`); `outputTokens` includes `reasoningTokens`.
 */
export interface ModelUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** Why the model stopped. */
export type ModelFinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'error' | 'other';

/** What one step of generation produced. */
export interface ModelResponse {
  text: string;
  toolCalls: ModelToolCall[];
  finishReason: ModelFinishReason;
  usage: ModelUsage;
  /** The cadre model id that answered, e.g. `openai:gpt-5.2` (after any router fallback). */
  modelId: string;
  /** The model name the provider reported, when it sent one (e.g. a dated snapshot). */
  providerModel: string | null;
  latencyMs: number;
}

/** One model as the rest of cadre sees it: one step of generation with tools. Failures reject with a ModelError. */
export interface Model {
  /** The cadre model id, or `router:<role>` for a routed model. */
  readonly id: string;
  /** Runs one step of generation; never executes tools. */
  generate(request: ModelRequest, options: ModelCallOptions): Promise<ModelResponse>;
}

/** Usage with every count at zero. */
export function emptyUsage(): ModelUsage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** The sum of two usages. */
export function addUsage(left: ModelUsage, right: ModelUsage): ModelUsage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    cachedInputTokens: left.cachedInputTokens + right.cachedInputTokens,
    cacheWriteTokens: left.cacheWriteTokens + right.cacheWriteTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    reasoningTokens: left.reasoningTokens + right.reasoningTokens,
  };
}
