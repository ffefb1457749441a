import { z } from 'zod';
import type { ModelUsage } from '../../llm/index.ts';
import type { EngineEvent, EngineStreamParser, EngineToolCall } from '../engine-adapter.ts';
import { readJsonLine } from '../engine-json-line.ts';

// The lines `opencode run --format json` prints (opencode 1.18): one JSON object per line, each with
// `type`, `timestamp`, `sessionID` and, but for errors, the message `part` it reports. Objects are
// loose: a newer opencode may add fields, and only the ones read here are checked.

/**
 * Token counts of a `step-finish` part, one model call. opencode splits what the provider reported:
 * `input` is the input without the cached reads and writes, `output` the output without the reasoning.
 */
export const OpencodeTokens = z.looseObject({
  input: z.number(),
  output: z.number(),
  reasoning: z.number().default(0),
  cache: z.looseObject({ read: z.number().default(0), write: z.number().default(0) }).prefault({}),
});
export type OpencodeTokens = z.infer<typeof OpencodeTokens>;

const ToolState = z.looseObject({
  status: z.string(),
  input: z.unknown().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  metadata: z.looseObject({ exit: z.number().nullable().optional() }).optional(),
});

const common = { timestamp: z.number().optional(), sessionID: z.string() };

export const OpencodeLine = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('step_start'), ...common }),
  z.looseObject({
    type: z.literal('text'),
    ...common,
    part: z.looseObject({ id: z.string(), text: z.string() }),
  }),
  z.looseObject({ type: z.literal('reasoning'), ...common }),
  z.looseObject({
    type: z.literal('tool_use'),
    ...common,
    part: z.looseObject({ callID: z.string(), tool: z.string(), state: ToolState }),
  }),
  z.looseObject({
    type: z.literal('step_finish'),
    ...common,
    part: z.looseObject({
      reason: z.string().optional(),
      tokens: OpencodeTokens,
      cost: z.number().optional(),
    }),
  }),
  z.looseObject({
    type: z.literal('error'),
    ...common,
    error: z
      .looseObject({
        name: z.string().optional(),
        data: z.looseObject({ message: z.string().optional() }).optional(),
      })
      .optional(),
  }),
]);
export type OpencodeLine = z.infer<typeof OpencodeLine>;

/** Maps opencode's split counts back to cadre's, where cached input is inside the input and reasoning inside the output. */
export function opencodeUsage(tokens: OpencodeTokens): ModelUsage {
  return {
    inputTokens: tokens.input + tokens.cache.read + tokens.cache.write,
    cachedInputTokens: tokens.cache.read,
    cacheWriteTokens: tokens.cache.write,
    outputTokens: tokens.output + tokens.reasoning,
    reasoningTokens: tokens.reasoning,
  };
}

/** What a parser knows of the run that the stream does not say. */
export interface OpencodeParserOptions {
  /** The model the run was told to use (the stream never names it). */
  model: string;
}

function toolOutput(state: z.infer<typeof ToolState>): { output: string; isError: boolean } {
  if (state.status === 'error') return { output: state.error ?? state.output ?? '', isError: true };
  const exit = state.metadata?.exit;
  // a command that ran but failed is still a "completed" tool for opencode
  return { output: state.output ?? '', isError: typeof exit === 'number' && exit !== 0 };
}

/**
 * A parser for one run of `opencode run --format json`. Each model call is a step (`step_start`, its
 * text and tool parts, `step_finish` with the call's tokens) and becomes one `model-turn`. Tools are
 * printed once, finished, so each gives a start and an end together. A step that ends the turn (any
 * reason but `tool-calls`) gives a `final` with its text; an `error` line gives a failed one.
 */
export function createOpencodeParser(options: OpencodeParserOptions): EngineStreamParser {
  const modelId = options.model;
  let sessionId: string | null = null;
  let texts: string[] = [];
  let toolCalls: EngineToolCall[] = [];

  return {
    line(text) {
      const event = readJsonLine(text, OpencodeLine);
      if (event === null) return [{ type: 'notice', message: text }];
      const events: EngineEvent[] = [];
      if (sessionId === null) {
        sessionId = event.sessionID;
        events.push({ type: 'session', sessionId, modelId });
      }
      switch (event.type) {
        case 'step_start':
          texts = [];
          toolCalls = [];
          break;
        case 'text':
          if (event.part.text !== '') texts.push(event.part.text);
          break;
        case 'reasoning':
          break;
        case 'tool_use': {
          const { callID: id, tool: name, state } = event.part;
          const input = state.input ?? {};
          toolCalls.push({ id, name, input });
          const { output, isError } = toolOutput(state);
          events.push(
            { type: 'tool-started', id, name, input },
            { type: 'tool-ended', id, name, output, isError },
          );
          break;
        }
        case 'step_finish': {
          const turnText = texts.join('\n\n');
          events.push({
            type: 'model-turn',
            modelId,
            text: turnText,
            toolCalls,
            usage: opencodeUsage(event.part.tokens),
          });
          if (event.part.reason !== 'tool-calls')
            events.push({ type: 'final', text: turnText, isError: false, detail: null });
          texts = [];
          toolCalls = [];
          break;
        }
        case 'error': {
          const name = event.error?.name ?? 'error';
          const message = event.error?.data?.message ?? JSON.stringify(event.error ?? {});
          events.push({ type: 'final', text: '', isError: true, detail: `${name}: ${message}` });
          break;
        }
      }
      return events;
    },
    end() {
      // A step cut off (killed, crashed) never printed its tokens: there is nothing to count, and no final.
      texts = [];
      toolCalls = [];
      return [];
    },
  };
}
