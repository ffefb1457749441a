import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { ModelMessage, ModelRequest, ModelToolDefinition } from '../../llm/index.ts';

/** Counts tokens of text, messages and whole requests; counts of messages and tool lists are cached. */
export interface TokenCounter {
  countText(text: string): number;
  countMessage(message: ModelMessage): number;
  countRequest(request: ModelRequest): number;
  /**
   * An upper bound on the request's tokens that costs no tokenizing: its UTF-8 bytes plus the framing
   * allowances, since no BPE token is shorter than one byte. Far from the window it is all a caller needs.
   */
  boundRequest(request: ModelRequest): number;
}

// Chat formats wrap every message in a few tokens of framing; a small allowance keeps estimates honest.
const messageOverhead = 4;
const requestOverhead = 3;

/**
 * Creates a counter on the o200k_base encoding, which ships inside js-tiktoken (no download). It is
 * exact for recent OpenAI models and close for others; the loop prefers provider-reported usage where
 * it has it. Building the encoder takes a moment, so share one counter between agents of a process.
 */
export function createTokenCounter(): TokenCounter {
  const encoder = new Tiktoken(o200kBase);
  const messageCounts = new WeakMap<ModelMessage, number>();
  const toolCounts = new WeakMap<readonly ModelToolDefinition[], number>();
  // System prompts and tool lists are rebuilt as new strings and arrays on every request of every
  // agent; counting them by value keeps a step from re-encoding thousands of identical tokens.
  const repeatedCounts = new Map<string, number>();
  const countRepeated = (text: string) => {
    const cached = repeatedCounts.get(text);
    if (cached !== undefined) return cached;
    const count = encodeLength(text);
    if (repeatedCounts.size >= 256) repeatedCounts.clear();
    repeatedCounts.set(text, count);
    return count;
  };
  // Special-token text such as <|endoftext|> in a file is ordinary text here, not an error.
  const encodeLength = (text: string) => (text === '' ? 0 : encoder.encode(text, [], []).length);
  // Masking and summary splits look at the same tool outputs on every step of a long agent; a
  // bounded memo of long texts turns those repeats into a hash lookup instead of a BPE pass.
  const longTextCounts = new Map<string, number>();
  let memoCharacters = 0;
  const countText = (text: string) => {
    // short texts are cheap to encode; huge ones (a summary request) would pin megabytes as keys
    if (text.length < 32 || text.length > 16_384) return encodeLength(text);
    const cached = longTextCounts.get(text);
    if (cached !== undefined) return cached;
    const count = encodeLength(text);
    if (memoCharacters + text.length > 8_000_000) {
      longTextCounts.clear();
      memoCharacters = 0;
    }
    longTextCounts.set(text, count);
    memoCharacters += text.length;
    return count;
  };

  function countMessage(message: ModelMessage): number {
    const cached = messageCounts.get(message);
    if (cached !== undefined) return cached;
    let count = messageOverhead;
    switch (message.role) {
      case 'user':
        count += countText(message.content);
        break;
      case 'assistant':
        count += countText(message.content);
        for (const call of message.toolCalls)
          count += countText(call.name) + countText(call.rawInput) + messageOverhead;
        break;
      case 'tool':
        for (const result of message.results)
          count += countText(result.toolName) + countText(result.output) + messageOverhead;
        break;
      default:
        return assertNever(message);
    }
    messageCounts.set(message, count);
    return count;
  }

  function countTools(tools: readonly ModelToolDefinition[]): number {
    const cached = toolCounts.get(tools);
    if (cached !== undefined) return cached;
    const count = countRepeated(JSON.stringify(tools));
    toolCounts.set(tools, count);
    return count;
  }

  const messageBounds = new WeakMap<ModelMessage, number>();
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  function boundMessage(message: ModelMessage): number {
    const cached = messageBounds.get(message);
    if (cached !== undefined) return cached;
    let bound = messageOverhead;
    switch (message.role) {
      case 'user':
        bound += bytes(message.content);
        break;
      case 'assistant':
        bound += bytes(message.content);
        for (const call of message.toolCalls)
          bound += bytes(call.name) + bytes(call.rawInput) + messageOverhead;
        break;
      case 'tool':
        for (const result of message.results)
          bound += bytes(result.toolName) + bytes(result.output) + messageOverhead;
        break;
      default:
        return assertNever(message);
    }
    messageBounds.set(message, bound);
    return bound;
  }
  const toolBounds = new WeakMap<readonly ModelToolDefinition[], number>();

  return {
    countText,
    countMessage,
    boundRequest(request) {
      let bound = requestOverhead + bytes(request.system ?? '');
      if (request.tools !== undefined) {
        let toolBound = toolBounds.get(request.tools);
        if (toolBound === undefined) {
          toolBound = bytes(JSON.stringify(request.tools));
          toolBounds.set(request.tools, toolBound);
        }
        bound += toolBound;
      }
      for (const message of request.messages) bound += boundMessage(message);
      return bound;
    },
    countRequest(request) {
      let count = requestOverhead + countRepeated(request.system ?? '');
      if (request.tools !== undefined) count += countTools(request.tools);
      for (const message of request.messages) count += countMessage(message);
      return count;
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
