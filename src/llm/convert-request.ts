import type {
  LanguageModelV3CallOptions,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
} from '@ai-sdk/provider';
import type { ModelMessage, ModelRequest } from './model.ts';

function convertMessage(message: ModelMessage): LanguageModelV3Message {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: [{ type: 'text', text: message.content }] };
    case 'assistant':
      return {
        role: 'assistant',
        content: [
          ...(message.content === '' ? [] : [{ type: 'text' as const, text: message.content }]),
          ...message.toolCalls.map((call) => ({
            type: 'tool-call' as const,
            toolCallId: call.id,
            toolName: call.name,
            // A call whose JSON was broken is replayed as an empty object; its error result explains why.
            input: call.inputError === null ? call.input : {},
          })),
        ],
      };
    case 'tool':
      return {
        role: 'tool',
        content: message.results.map((result) => ({
          type: 'tool-result' as const,
          toolCallId: result.toolCallId,
          toolName: result.toolName,
          output: result.isError
            ? { type: 'error-text' as const, value: result.output }
            : { type: 'text' as const, value: result.output },
        })),
      };
  }
}

/** Builds the AI SDK call options for one cadre request (everything except the abort signal). */
export function convertRequest(request: ModelRequest): LanguageModelV3CallOptions {
  const tools: LanguageModelV3FunctionTool[] = (request.tools ?? []).map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
  const options: LanguageModelV3CallOptions = {
    prompt: [
      ...(request.system === undefined || request.system === ''
        ? []
        : [{ role: 'system' as const, content: request.system }]),
      ...request.messages.map(convertMessage),
    ],
  };
  if (tools.length > 0) {
    options.tools = tools;
    options.toolChoice = { type: request.toolChoice ?? 'auto' };
  }
  if (request.maxOutputTokens !== undefined) options.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) options.temperature = request.temperature;
  return options;
}
