/** Token counts a scripted reply reports; `inputTokens` includes the cached ones, as in ModelUsage. */
export interface ScriptedUsage {
  inputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  outputTokens: number;
  reasoningTokens?: number;
}

/** One tool call in a scripted reply; `arguments` may be a raw string to send malformed JSON. */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: unknown;
}

/** A successful answer, rendered by each wire protocol in its own shape. */
export type ScriptedAnswer =
  | { type: 'text'; text: string; usage?: ScriptedUsage; finishReason?: 'stop' | 'length' }
  | { type: 'tool-calls'; text?: string; toolCalls: ScriptedToolCall[]; usage?: ScriptedUsage };

/** What the protocol server does with the next request it gets. */
export type ScriptedReply =
  | ScriptedAnswer
  /** An HTTP error; `body` replaces the protocol's usual error body (for recorded fixtures). */
  | {
      type: 'error';
      status: number;
      message?: string;
      errorType?: string;
      code?: string;
      headers?: Record<string, string>;
      body?: unknown;
    }
  /** Accepts the request and never answers, until the client goes away or the server closes. */
  | { type: 'hang' }
  /** Starts streaming the answer and cuts the connection after `afterEvents` server-sent events. */
  | { type: 'torn'; answer: ScriptedAnswer; afterEvents: number };

/** One server-sent event. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** How one wire protocol renders scripted replies. */
export interface WireProtocol {
  json(answer: ScriptedAnswer, model: string): unknown;
  events(answer: ScriptedAnswer, model: string): SseEvent[];
  errorBody(error: Extract<ScriptedReply, { type: 'error' }>): unknown;
}

/** The usage a reply reports when its script gives none. */
export function usageOf(answer: ScriptedAnswer): Required<ScriptedUsage> {
  const usage = answer.usage ?? { inputTokens: 10, outputTokens: 5 };
  return {
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens ?? 0,
  };
}

/** The JSON text of a tool call's arguments (a string is sent as is, to allow malformed JSON). */
export function argumentsText(call: ScriptedToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** The id of a tool call, made up from its position when the script gives none. */
export function callId(call: ScriptedToolCall, index: number): string {
  return call.id ?? `call_${index + 1}`;
}

/** Splits text into a few pieces so that streams carry more than one delta. */
export function pieces(text: string): string[] {
  if (text.length < 2) return text === '' ? [] : [text];
  const middle = Math.ceil(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

/** The answer's text, or '' for tool calls without any. */
export function textOf(answer: ScriptedAnswer): string {
  return answer.type === 'text' ? answer.text : (answer.text ?? '');
}
