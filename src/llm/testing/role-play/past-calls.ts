import type { Conversation } from './conversation.ts';

/** A tool call of an earlier turn, paired with what came back. */
export interface PastCall {
  id: string;
  name: string;
  /** The arguments when they were a JSON object, else null (broken JSON comes back as `{}` from cadre). */
  input: Record<string, unknown> | null;
  /** The result text; null when no result came back (yet). */
  output: string | null;
  /** It did not do what it asked: an error result, refused input, an unknown tool, or never run. */
  failed: boolean;
  /** Which assistant turn made it, counting from 0. */
  turn: number;
}

// Protocols without an error flag (OpenAI) leave the text to tell: these are how cadre words failures.
const failurePrefixes = [
  'Error:',
  'Invalid input for ',
  'There is no tool named',
  'The input for ',
  'Not run:',
];

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function failed(output: string | null, isError: boolean | null): boolean {
  if (output === null) return true;
  if (isError !== null) return isError;
  const start = output.trimStart();
  return failurePrefixes.some((prefix) => start.startsWith(prefix));
}

/** Every tool call so far, oldest first, each with its result (a result pairs with the latest call of its id). */
export function pastCalls(conversation: Conversation): PastCall[] {
  const calls: PastCall[] = [];
  const open = new Map<string, PastCall>();
  let turn = -1;
  for (const entry of conversation.entries) {
    switch (entry.type) {
      case 'user':
        break;
      case 'assistant':
        turn++;
        for (const call of entry.toolCalls) {
          const past = {
            id: call.id,
            name: call.name,
            input: parseObject(call.argumentsText),
            output: null,
            failed: true,
            turn,
          };
          calls.push(past);
          open.set(call.id, past);
        }
        break;
      case 'tool-result': {
        const past = open.get(entry.callId);
        if (past === undefined) break;
        open.delete(entry.callId);
        past.output = entry.output;
        past.failed = failed(entry.output, entry.isError);
        break;
      }
    }
  }
  return calls;
}

/**
 * Whether the call ran at all: cadre answers refused input (broken JSON, schema errors) and calls cut
 * off at the output limit without running the tool; a tool's own error means it did run.
 */
export function ran(call: PastCall): boolean {
  if (call.output === null) return false;
  return !/^(Invalid input for |The input for |Not run:|There is no tool named)/.test(
    call.output.trimStart(),
  );
}

/** A string argument of a call, or '' when it has none. */
export function stringArgument(call: Pick<PastCall, 'input'> | undefined, key: string): string {
  const value = call?.input?.[key];
  return typeof value === 'string' ? value : '';
}

/** The calls that succeeded, optionally only those of one tool. */
export function succeeded(calls: readonly PastCall[], name?: string): PastCall[] {
  return calls.filter((call) => !call.failed && (name === undefined || call.name === name));
}
