import { anthropicMessagesWire } from '../protocol-server/anthropic-messages-wire.ts';
import { openaiChatWire } from '../protocol-server/openai-chat-wire.ts';
import { openaiResponsesWire } from '../protocol-server/openai-responses-wire.ts';
import type { RenderedReply, WireProtocolName } from '../protocol-server/protocol-server.ts';
import type { ScriptedAnswer, SseEvent } from '../protocol-server/scripted-reply.ts';

type ToolCallsAnswer = Extract<ScriptedAnswer, { type: 'tool-calls' }>;
type Json = Record<string, unknown>;

const incompleteDetails = { reason: 'max_output_tokens' };

function patchEvents(
  events: readonly SseEvent[],
  patch: (data: Json, event: SseEvent) => SseEvent,
): SseEvent[] {
  return events.map((event) => {
    if (event.data === '[DONE]') return event;
    return patch(JSON.parse(event.data) as Json, event);
  });
}

function chat(answer: ToolCallsAnswer, model: string): Omit<RenderedReply, 'usage'> {
  const json = openaiChatWire.json(answer, model) as { choices: Json[] };
  for (const choice of json.choices) choice.finish_reason = 'length';
  const events = patchEvents(openaiChatWire.events(answer, model), (data, event) => {
    const choices = (data.choices ?? []) as Json[];
    if (!choices.some((choice) => choice.finish_reason === 'tool_calls')) return event;
    for (const choice of choices) choice.finish_reason = 'length';
    return { ...event, data: JSON.stringify(data) };
  });
  return { type: 'rendered', json, events };
}

function responses(answer: ToolCallsAnswer, model: string): Omit<RenderedReply, 'usage'> {
  const cutOff = (response: Json) => ({
    ...response,
    status: 'incomplete',
    incomplete_details: incompleteDetails,
  });
  const json = cutOff(openaiResponsesWire.json(answer, model) as Json);
  const events = patchEvents(openaiResponsesWire.events(answer, model), (data, event) => {
    if (data.type !== 'response.completed') return event;
    const type = 'response.incomplete';
    return { event: type, data: JSON.stringify({ ...data, type, response: cutOff(data.response as Json) }) };
  });
  return { type: 'rendered', json, events };
}

function anthropic(answer: ToolCallsAnswer, model: string): Omit<RenderedReply, 'usage'> {
  const json = { ...(anthropicMessagesWire.json(answer, model) as Json), stop_reason: 'max_tokens' };
  const events = patchEvents(anthropicMessagesWire.events(answer, model), (data, event) => {
    if (data.type !== 'message_delta') return event;
    const delta = { ...(data.delta as Json), stop_reason: 'max_tokens' };
    return { ...event, data: JSON.stringify({ ...data, delta }) };
  });
  return { type: 'rendered', json, events };
}

/**
 * Tool calls cut off at the output limit, in each protocol's words: OpenAI Chat `finish_reason:
 * "length"`, Responses `status: "incomplete"` (max_output_tokens), Anthropic `stop_reason:
 * "max_tokens"`. Scripted tool-call answers always finish normally, so the wire's rendering is patched.
 */
export function renderTruncatedToolCalls(
  protocol: WireProtocolName,
  answer: ToolCallsAnswer,
  model: string,
): RenderedReply {
  const usage = answer.usage ?? { inputTokens: 10, outputTokens: 5 };
  switch (protocol) {
    case 'openai-chat':
      return { ...chat(answer, model), usage };
    case 'openai-responses':
      return { ...responses(answer, model), usage };
    case 'anthropic-messages':
      return { ...anthropic(answer, model), usage };
  }
}
