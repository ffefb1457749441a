import { z } from 'zod';
import { argumentsAsText, type Conversation, type ConversationEntry } from './conversation.ts';

const Text = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }))]);

const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
const ToolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const ToolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: Text.optional(),
  is_error: z.boolean().optional(),
});

const Body = z.object({
  system: Text.optional(),
  // blocks are read one by one below: thinking, images and the rest carry nothing the role-player reads
  messages: z.array(
    z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(z.unknown())]) }),
  ),
  tools: z
    .array(
      z.object({
        name: z.string(),
        description: z.string().default(''),
        input_schema: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .default([]),
});

function textOf(content: z.infer<typeof Text> | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

function addAssistant(blocks: readonly unknown[], entries: ConversationEntry[]): void {
  const text: string[] = [];
  const toolCalls: { id: string; name: string; argumentsText: string }[] = [];
  for (const block of blocks) {
    const textBlock = TextBlock.safeParse(block);
    if (textBlock.success) text.push(textBlock.data.text);
    const toolUse = ToolUseBlock.safeParse(block);
    if (toolUse.success) {
      const { id, name, input } = toolUse.data;
      toolCalls.push({ id, name, argumentsText: argumentsAsText(input) });
    }
  }
  entries.push({ type: 'assistant', text: text.join(''), toolCalls });
}

function addUser(blocks: readonly unknown[], entries: ConversationEntry[]): void {
  const text: string[] = [];
  for (const block of blocks) {
    const result = ToolResultBlock.safeParse(block);
    if (result.success) {
      const { tool_use_id: callId, content, is_error: isError } = result.data;
      entries.push({ type: 'tool-result', callId, output: textOf(content), isError: isError === true });
    }
    const textBlock = TextBlock.safeParse(block);
    if (textBlock.success) text.push(textBlock.data.text);
  }
  if (text.length > 0) entries.push({ type: 'user', text: text.join('') });
}

/** Reads an Anthropic Messages request body: tool results arrive as blocks of a user message, with `is_error`. */
export function parseAnthropicMessagesRequest(body: unknown): Conversation {
  const parsed = Body.parse(body);
  const entries: ConversationEntry[] = [];
  for (const message of parsed.messages) {
    const blocks =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (message.role === 'assistant') addAssistant(blocks, entries);
    else addUser(blocks, entries);
  }
  const tools = parsed.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.input_schema,
  }));
  return { system: textOf(parsed.system), entries, tools };
}
