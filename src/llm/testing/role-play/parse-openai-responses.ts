import { z } from 'zod';
import { appendAssistant, type Conversation, type ConversationEntry } from './conversation.ts';

const Text = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }))]);

const RoleMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: Text,
});
const FunctionCall = z.object({
  type: z.literal('function_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string().default(''),
});
const FunctionCallOutput = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: Text,
});

const Body = z.object({
  instructions: z.string().optional(),
  // items the reader does not know (reasoning, item references) stay out of the conversation
  input: z.union([z.string(), z.array(z.unknown())]).default([]),
  tools: z
    .array(
      z.object({
        type: z.string(),
        name: z.string().optional(),
        description: z.string().default(''),
        parameters: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .default([]),
});

function textOf(content: z.infer<typeof Text>): string {
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

function addItem(raw: unknown, system: string[], entries: ConversationEntry[]): void {
  const call = FunctionCall.safeParse(raw);
  if (call.success) {
    const { call_id: id, name, arguments: argumentsText } = call.data;
    appendAssistant(entries, '', [{ id, name, argumentsText }]);
    return;
  }
  const output = FunctionCallOutput.safeParse(raw);
  if (output.success) {
    const { call_id: callId } = output.data;
    entries.push({ type: 'tool-result', callId, output: textOf(output.data.output), isError: null });
    return;
  }
  const message = RoleMessage.safeParse(raw);
  if (!message.success) return;
  const text = textOf(message.data.content);
  switch (message.data.role) {
    case 'system':
    case 'developer':
      system.push(text);
      return;
    case 'user':
      entries.push({ type: 'user', text });
      return;
    case 'assistant':
      appendAssistant(entries, text, []);
      return;
  }
}

/** Reads an OpenAI Responses request body: one assistant turn may arrive as a message and several call items. */
export function parseOpenaiResponsesRequest(body: unknown): Conversation {
  const parsed = Body.parse(body);
  const system = parsed.instructions === undefined ? [] : [parsed.instructions];
  const entries: ConversationEntry[] = [];
  const input = typeof parsed.input === 'string' ? [{ role: 'user', content: parsed.input }] : parsed.input;
  for (const raw of input) addItem(raw, system, entries);
  const tools = parsed.tools
    .filter((tool) => tool.type === 'function' && tool.name !== undefined)
    .map((tool) => ({
      name: tool.name as string,
      description: tool.description,
      inputSchema: tool.parameters,
    }));
  return { system: system.join('\n'), entries, tools };
}
