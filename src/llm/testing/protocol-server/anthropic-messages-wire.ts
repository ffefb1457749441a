import {
  argumentsText,
  callId,
  pieces,
  type ScriptedAnswer,
  type SseEvent,
  textOf,
  usageOf,
  type WireProtocol,
} from './scripted-reply.ts';

function stopReason(answer: ScriptedAnswer): string {
  if (answer.type === 'tool-calls') return 'tool_use';
  return answer.finishReason === 'length' ? 'max_tokens' : 'end_turn';
}

function usage(answer: ScriptedAnswer) {
  const counts = usageOf(answer);
  // Anthropic counts uncached input separately from cache reads and writes.
  return {
    input_tokens: counts.inputTokens - counts.cachedInputTokens - counts.cacheWriteTokens,
    cache_creation_input_tokens: counts.cacheWriteTokens,
    cache_read_input_tokens: counts.cachedInputTokens,
    output_tokens: counts.outputTokens,
  };
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function defaultErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** Anthropic Messages (`POST /v1/messages`). */
export const anthropicMessagesWire: WireProtocol = {
  json(answer, model) {
    const text = textOf(answer);
    const content: unknown[] = text === '' ? [] : [{ type: 'text', text }];
    if (answer.type === 'tool-calls') {
      answer.toolCalls.forEach((call, index) => {
        const input = parseInput(argumentsText(call));
        content.push({ type: 'tool_use', id: callId(call, index), name: call.name, input });
      });
    }
    return {
      id: 'msg_protocol_server',
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason(answer),
      stop_sequence: null,
      usage: usage(answer),
    };
  },

  events(answer, model) {
    const event = (type: string, fields: Record<string, unknown>): SseEvent => ({
      event: type,
      data: JSON.stringify({ type, ...fields }),
    });
    const start = usage(answer);
    const events: SseEvent[] = [
      event('message_start', {
        message: {
          id: 'msg_protocol_server',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...start, output_tokens: 1 },
        },
      }),
    ];
    let index = 0;
    const text = textOf(answer);
    if (text !== '') {
      events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const piece of pieces(text)) {
        events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
      }
      events.push(event('content_block_stop', { index }));
      index++;
    }
    if (answer.type === 'tool-calls') {
      answer.toolCalls.forEach((call, callIndex) => {
        const id = callId(call, callIndex);
        events.push(
          event('content_block_start', {
            index,
            content_block: { type: 'tool_use', id, name: call.name, input: {} },
          }),
        );
        for (const piece of pieces(argumentsText(call))) {
          events.push(
            event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }),
          );
        }
        events.push(event('content_block_stop', { index }));
        index++;
      });
    }
    events.push(
      event('message_delta', {
        delta: { stop_reason: stopReason(answer), stop_sequence: null },
        usage: { output_tokens: start.output_tokens },
      }),
    );
    events.push(event('message_stop', {}));
    return events;
  },

  errorBody(error) {
    return {
      type: 'error',
      error: {
        type: error.errorType ?? defaultErrorType(error.status),
        message: error.message ?? `HTTP ${error.status}`,
      },
    };
  },
};
