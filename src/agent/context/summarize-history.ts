import type { ModelMessage, ModelRequest } from '../../llm/index.ts';
import { truncateOutput } from '../truncate-output.ts';
import type { TokenCounter } from './token-counter.ts';

/** Every summary message starts with this. */
export const summaryPrefix = '[Summary of the earlier conversation, written to save context]';

const summarySystem =
  'You compact the history of an autonomous coding agent so that it can keep working with less context. ' +
  'Write a dense summary for the agent itself: the task and any instructions from people, what has been done ' +
  '(files read, changed or created, commands run and their results), what was learned about the code, ' +
  'failures and their causes, and what remains to do. Keep exact file paths, names and error messages. ' +
  'Do not invent anything; do not call tools.';

/**
 * Where to cut the conversation: the first message (the task) stays, messages from the returned index
 * on stay verbatim, the ones between are summarized. The kept tail is the newest messages that fit in
 * `keepTokens`, starting at a user or assistant message so no tool result loses its call. Returns 1
 * when there is nothing to summarize.
 */
export function summarySplitIndex(
  messages: readonly ModelMessage[],
  keepTokens: number,
  counter: TokenCounter,
): number {
  let split = messages.length;
  let kept = 0;
  for (let index = messages.length - 1; index >= 1; index--) {
    kept += counter.countMessage(messages[index]!);
    if (kept > keepTokens) break;
    if (messages[index]!.role !== 'tool') split = index;
  }
  // Keep at least the newest step even when it alone is over the share: the agent needs its last result.
  if (split === messages.length) {
    for (let index = messages.length - 1; index >= 1; index--) {
      if (messages[index]!.role !== 'tool') return Math.max(index, 1);
    }
  }
  return Math.max(split, 1);
}

/** The request that asks the model for a summary of `older`, cut to fit in `maxTokens`. */
export function buildSummaryRequest(
  older: readonly ModelMessage[],
  maxTokens: number,
  counter: TokenCounter,
): ModelRequest {
  let transcript = older.map(renderMessage).join('\n\n');
  const request = (text: string): ModelRequest => ({
    system: summarySystem,
    messages: [{ role: 'user', content: `Summarize this part of the agent's history:\n\n${text}` }],
    toolChoice: 'none',
  });
  // Cutting the middle of an over-long history keeps how it started and where it got to. The request
  // returned is the one counted: the counter remembers its message, so the call does not count it again.
  let current = request(transcript);
  for (let attempt = 0; attempt < 5; attempt++) {
    const tokens = counter.countRequest(current);
    if (tokens <= maxTokens) break;
    const keepCharacters = Math.floor((transcript.length * maxTokens * 0.9) / tokens);
    transcript = truncateOutput(transcript, Math.max(0, keepCharacters)).text;
    current = request(transcript);
  }
  return current;
}

/** The message that stands in for the summarized part of the conversation. */
export function summaryMessage(summary: string): ModelMessage {
  return { role: 'user', content: `${summaryPrefix}\n${summary.trim()}` };
}

function renderMessage(message: ModelMessage): string {
  switch (message.role) {
    case 'user':
      return `USER:\n${message.content}`;
    case 'assistant': {
      const calls = message.toolCalls.map((call) => `-> ${call.name} ${call.rawInput}`);
      return [`ASSISTANT:`, message.content, ...calls].filter((line) => line !== '').join('\n');
    }
    case 'tool':
      return message.results
        .map(
          (result) => `TOOL RESULT ${result.toolName}${result.isError ? ' (error)' : ''}:\n${result.output}`,
        )
        .join('\n\n');
    default:
      return assertNever(message);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
