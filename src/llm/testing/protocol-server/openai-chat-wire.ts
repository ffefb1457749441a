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

function finishReason(answer: ScriptedAnswer): string {
  if (answer.type === 'tool-calls') return 'tool_calls';
  return answer.finishReason ?? 'stop';
}

function usage(answer: ScriptedAnswer) {
  const counts = usageOf(answer);
  return {
    prompt_tokens: counts.inputTokens,
    completion_tokens: counts.outputTokens,
    total_tokens: counts.inputTokens + counts.outputTokens,
    prompt_tokens_details: { cached_tokens: counts.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: counts.reasoningTokens },
  };
}

/** OpenAI Chat Completions (`POST /v1/chat/completions`), also spoken by vLLM, Ollama, llama.cpp and SGLang. */
export const openaiChatWire: WireProtocol = {
  json(answer, model) {
    const text = textOf(answer);
    const toolCalls =
      answer.type === 'tool-calls'
        ? answer.toolCalls.map((call, index) => ({
            id: callId(call, index),
            type: 'function',
            function: { name: call.name, arguments: argumentsText(call) },
          }))
        : undefined;
    return {
      id: 'chatcmpl-protocol-server',
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls },
          finish_reason: finishReason(answer),
        },
      ],
      usage: usage(answer),
    };
  },

  events(answer, model) {
    const base = {
      id: 'chatcmpl-protocol-server',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model,
    };
    const chunk = (delta: unknown, finish: string | null = null): SseEvent => ({
      data: JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] }),
    });
    const events: SseEvent[] = [chunk({ role: 'assistant', content: '' })];
    for (const piece of pieces(textOf(answer))) events.push(chunk({ content: piece }));
    if (answer.type === 'tool-calls') {
      answer.toolCalls.forEach((call, index) => {
        const id = callId(call, index);
        events.push(
          chunk({
            tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }],
          }),
        );
        for (const piece of pieces(argumentsText(call))) {
          events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
        }
      });
    }
    events.push(chunk({}, finishReason(answer)));
    events.push({ data: JSON.stringify({ ...base, choices: [], usage: usage(answer) }) });
    events.push({ data: '[DONE]' });
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
