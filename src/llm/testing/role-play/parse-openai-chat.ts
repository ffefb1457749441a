import { z } from 'zod';
import type { Conversation, ConversationEntry } from './conversation.ts';

const Text = z.union([
  z.string(),
  z.null(),
  z.array(z.object({ type: z.string(), text: z.string().optional() })),
]);

const ToolCall = z.object({
  id: z.string(),
  function: z.object({ name: z.string(), arguments: z.string().default('') }),
});

const Message = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: Text }),
  z.object({ role: z.literal('user'), content: Text }),
  z.object({
    role: z.literal('assistant'),
    content: Text.optional(),
    tool_calls: z.array(ToolCall).optional(),
  }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: Text }),
]);

const Body = z.object({
  messages: z.array(Message),
  tools: z
    .array(
      z.object({
        function: z.object({
          name: z.string(),
          description: z.string().default(''),
          parameters: z.record(z.string(), z.unknown()).default({}),
        }),
      }),
    )
    .default([]),
});

function textOf(content: z.infer<typeof Text> | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

/** Reads an OpenAI Chat Completions request body (also what vLLM, Ollama and llama.cpp receive). */
export function parseOpenaiChatRequest(body: unknown): Conversation {
  const parsed = Body.parse(body);
  const system: string[] = [];
  const entries: ConversationEntry[] = [];
  for (const message of parsed.messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(textOf(message.content));
        break;
      case 'user':
        entries.push({ type: 'user', text: textOf(message.content) });
        break;
      case 'assistant': {
        const calls = (message.tool_calls ?? []).map((call) => ({
          id: call.id,
          name: call.function.name,
          argumentsText: call.function.arguments,
        }));
        entries.push({ type: 'assistant', text: textOf(message.content), toolCalls: calls });
        break;
      }
      case 'tool':
        entries.push({
          type: 'tool-result',
          callId: message.tool_call_id,
          output: textOf(message.content),
          isError: null,
        });
        break;
    }
  }
  const tools = parsed.tools.map((tool) => ({
    name: tool.function.name,
    description: tool.function.description,
    inputSchema: tool.function.parameters,
  }));
  return { system: system.join('\n'), entries, tools };
}
