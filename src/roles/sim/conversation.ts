import type { SimPolicyContext } from '../../llm/index.ts';
import { lastInputText } from '../../llm/index.ts';
import { type Briefing, parseBriefing } from '../briefing.ts';

/** One tool call a simulated agent made earlier in its conversation, with what came back. */
export interface PastCall {
  name: string;
  input: unknown;
  output: string;
}

/** The briefing of the conversation (its first user message), or null. */
export function briefingOf(context: SimPolicyContext): Briefing | null {
  const first = context.messages.find((message) => message.role === 'user');
  return first === undefined ? null : parseBriefing(lastInputText([first]));
}

/**
 * The tool calls so far, oldest first, each with its result text. Sim policies are stateless:
 * they decide their next step from what the conversation already holds, like a model would.
 */
export function pastCalls(context: SimPolicyContext): PastCall[] {
  const outputs = new Map<string, string>();
  for (const message of context.messages) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-result') continue;
      const output = part.output;
      const text =
        output.type === 'text' || output.type === 'error-text' ? output.value : JSON.stringify(output);
      outputs.set(part.toolCallId, text);
    }
  }
  const calls: PastCall[] = [];
  for (const message of context.messages) {
    if (message.role !== 'assistant') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-call') continue;
      calls.push({ name: part.toolName, input: part.input, output: outputs.get(part.toolCallId) ?? '' });
    }
  }
  return calls;
}

/** A short stable hash of a text, for file names that differ per task. */
export function shortHash(text: string): string {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0).toString(36);
}

/** The file text inside a `read_file` result (which numbers each line); '' for an empty file. */
export function fileTextFromReadOutput(output: string): string {
  if (/^\(.* is empty\)$/.test(output.trim())) return '';
  return output
    .split('\n')
    .filter((line) => /^\s*\d+\t/.test(line))
    .map((line) => line.replace(/^\s*\d+\t/, ''))
    .join('\n');
}
