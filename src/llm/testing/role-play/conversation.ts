/** One tool a request offers the model, as its definition arrived. */
export interface OfferedTool {
  name: string;
  description: string;
  /** The tool's JSON Schema, `{}` when the request gave none. */
  inputSchema: Record<string, unknown>;
}

/** One tool call the model made earlier, with its arguments exactly as they came back. */
export interface ConversationToolCall {
  id: string;
  name: string;
  argumentsText: string;
}

/** One entry of a conversation, whatever wire protocol carried it. */
export type ConversationEntry =
  | { type: 'user'; text: string }
  | { type: 'assistant'; text: string; toolCalls: ConversationToolCall[] }
  /** `isError` is null where the protocol has no error flag (OpenAI): the text then tells. */
  | { type: 'tool-result'; callId: string; output: string; isError: boolean | null };

/** A request reduced to what a model sees: system text, the turns so far and the tools on offer. */
export interface Conversation {
  system: string;
  entries: ConversationEntry[];
  tools: OfferedTool[];
}

/**
 * Appends text or tool calls to the conversation's last assistant entry, or starts one: protocols
 * that send a turn as several items (OpenAI Responses) come out as one turn, like the others.
 */
export function appendAssistant(
  entries: ConversationEntry[],
  text: string,
  toolCalls: readonly ConversationToolCall[],
): void {
  const last = entries.at(-1);
  if (last?.type === 'assistant') {
    last.text = last.text === '' ? text : text === '' ? last.text : `${last.text}\n${text}`;
    last.toolCalls.push(...toolCalls);
    return;
  }
  entries.push({ type: 'assistant', text, toolCalls: [...toolCalls] });
}

/** The text of the first user message: the briefing an agent starts from. */
export function firstUserText(conversation: Conversation): string {
  const first = conversation.entries.find((entry) => entry.type === 'user');
  return first?.type === 'user' ? first.text : '';
}

/** Tool arguments as JSON text: strings pass as they are, anything else is serialized. */
export function argumentsAsText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? {});
}
