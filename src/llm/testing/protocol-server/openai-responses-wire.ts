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

function usage(answer: ScriptedAnswer) {
  const counts = usageOf(answer);
  return {
    input_tokens: counts.inputTokens,
    input_tokens_details: { cached_tokens: counts.cachedInputTokens },
    output_tokens: counts.outputTokens,
    output_tokens_details: { reasoning_tokens: counts.reasoningTokens },
    total_tokens: counts.inputTokens + counts.outputTokens,
  };
}

function outputItems(answer: ScriptedAnswer) {
  const text = textOf(answer);
  const items: Array<Record<string, unknown>> = [];
  if (text !== '') {
    items.push({
      type: 'message',
      id: 'msg_protocol_server',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [] }],
    });
  }
  if (answer.type === 'tool-calls') {
    answer.toolCalls.forEach((call, index) => {
      items.push({
        type: 'function_call',
        id: `fc_${index + 1}`,
        call_id: callId(call, index),
        name: call.name,
        arguments: argumentsText(call),
        status: 'completed',
      });
    });
  }
  return items;
}

function isIncomplete(answer: ScriptedAnswer): boolean {
  return answer.type === 'text' && answer.finishReason === 'length';
}

function response(answer: ScriptedAnswer, model: string, done: boolean) {
  return {
    id: 'resp_protocol_server',
    object: 'response',
    created_at: 1_700_000_000,
    model,
    status: done ? (isIncomplete(answer) ? 'incomplete' : 'completed') : 'in_progress',
    output: done ? outputItems(answer) : [],
    incomplete_details: done && isIncomplete(answer) ? { reason: 'max_output_tokens' } : null,
    usage: done ? usage(answer) : null,
  };
}

/** OpenAI Responses (`POST /v1/responses`). */
export const openaiResponsesWire: WireProtocol = {
  json(answer, model) {
    return response(answer, model, true);
  },

  events(answer, model) {
    let sequence = 0;
    const event = (type: string, fields: Record<string, unknown>): SseEvent => ({
      event: type,
      data: JSON.stringify({ type, sequence_number: sequence++, ...fields }),
    });
    const events: SseEvent[] = [event('response.created', { response: response(answer, model, false) })];
    outputItems(answer).forEach((item, outputIndex) => {
      if (item.type === 'message') {
        events.push(
          event('response.output_item.added', {
            output_index: outputIndex,
            item: { ...item, status: 'in_progress', content: [] },
          }),
        );
        for (const piece of pieces(textOf(answer))) {
          events.push(
            event('response.output_text.delta', {
              item_id: item.id,
              output_index: outputIndex,
              content_index: 0,
              delta: piece,
            }),
          );
        }
      } else {
        events.push(
          event('response.output_item.added', {
            output_index: outputIndex,
            item: { ...item, arguments: '', status: 'in_progress' },
          }),
        );
        for (const piece of pieces(String(item.arguments))) {
          events.push(
            event('response.function_call_arguments.delta', {
              item_id: item.id,
              output_index: outputIndex,
              delta: piece,
            }),
          );
        }
        events.push(
          event('response.function_call_arguments.done', {
            item_id: item.id,
            output_index: outputIndex,
            arguments: item.arguments,
          }),
        );
      }
      events.push(event('response.output_item.done', { output_index: outputIndex, item }));
    });
    const final = isIncomplete(answer) ? 'response.incomplete' : 'response.completed';
    events.push(event(final, { response: response(answer, model, true) }));
    return events;
  },

  errorBody(error) {
    return {
      error: {
        message: error.message ?? `HTTP ${error.status}`,
        type: error.errorType ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: null,
        code: error.code ?? null,
      },
    };
  },
};
