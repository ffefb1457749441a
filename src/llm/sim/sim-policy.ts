import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { Random } from './seeded-random.ts';

/** A tool as a sim policy sees it. */
export interface SimTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** Everything a policy may look at to decide its next turn. */
export interface SimPolicyContext {
  system: string;
  /** The conversation without system messages, in AI SDK prompt form. */
  messages: LanguageModelV3Prompt;
  tools: SimTool[];
  /** Seeded: the same conversation gives the same numbers. */
  random: Random;
  /** How many assistant turns the conversation already has. */
  step: number;
  /**
   * The nominal latency the simulation drew for this call and has already waited, in milliseconds: a
   * policy wrapper can record it (the fleet bench counts work by it, not by wall time around the call).
   */
  latencyMs: number;
  signal: AbortSignal;
}

/** What a policy decides; the sim model labels the text as simulated. */
export type SimTurn =
  | { type: 'text'; text: string }
  | { type: 'tool-calls'; text?: string; toolCalls: Array<{ name: string; input: unknown }> };

/**
 * A deterministic stand-in for a model's judgement for one role. Policies must not pretend to be
 * intelligent: they follow rules so that runs are repeatable and explainable.
 */
export interface SimPolicy {
  name: string;
  description: string;
  respond(context: SimPolicyContext): SimTurn | Promise<SimTurn>;
}

/** Text of the most recent user message or tool result, for policies that react to it. */
export function lastInputText(messages: LanguageModelV3Prompt): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message === undefined) continue;
    if (message.role === 'user') {
      return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    }
    if (message.role === 'tool') {
      return message.content
        .map((part) => {
          if (part.type !== 'tool-result') return '';
          const output = part.output;
          return output.type === 'text' || output.type === 'error-text'
            ? output.value
            : JSON.stringify(output);
        })
        .join('\n');
    }
  }
  return '';
}
