import { z } from 'zod';
import { emptyUsage, type ModelUsage } from '../../llm/index.ts';
import type { EngineEvent, EngineStreamParser, EngineToolCall } from '../engine-adapter.ts';
import { readJsonLine } from '../engine-json-line.ts';
import { subtractUsage } from '../engine-usage.ts';

// The lines `gemini --output-format stream-json` prints (Gemini CLI 0.61: StreamJsonFormatter and
// runNonInteractive in packages/cli). Objects are loose: a newer gemini may add fields, and only the
// ones read here are checked.

/** Token counts of one model in a `result` line: the session's totals so far, not this run's. */
export const GeminiModelStats = z.looseObject({
  total_tokens: z.number().default(0),
  /** The prompt tokens, cached ones included. */
  input_tokens: z.number(),
  /** The candidates' tokens: the output without the thinking, which stream-json does not report. */
  output_tokens: z.number(),
  cached: z.number().default(0),
  /** The prompt tokens less the cached ones. */
  input: z.number().optional(),
});
export type GeminiModelStats = z.infer<typeof GeminiModelStats>;

export const GeminiStats = z.looseObject({
  total_tokens: z.number().optional(),
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cached: z.number().optional(),
  duration_ms: z.number().optional(),
  tool_calls: z.number().optional(),
  models: z.record(z.string(), GeminiModelStats).default({}),
});

export const GeminiLine = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('init'), session_id: z.string(), model: z.string().nullable().optional() }),
  z.looseObject({
    type: z.literal('message'),
    role: z.string(),
    content: z.string(),
    delta: z.boolean().optional(),
  }),
  z.looseObject({
    type: z.literal('tool_use'),
    tool_name: z.string(),
    tool_id: z.string(),
    parameters: z.unknown().optional(),
  }),
  z.looseObject({
    type: z.literal('tool_result'),
    tool_id: z.string(),
    status: z.string(),
    output: z.string().optional(),
    error: z.looseObject({ type: z.string().optional(), message: z.string() }).optional(),
  }),
  z.looseObject({ type: z.literal('error'), severity: z.string().optional(), message: z.string() }),
  z.looseObject({
    type: z.literal('result'),
    status: z.string(),
    error: z.looseObject({ type: z.string().optional(), message: z.string() }).optional(),
    stats: GeminiStats.optional(),
  }),
]);
export type GeminiLine = z.infer<typeof GeminiLine>;

/** Token totals per model, as a `result` line reports them. */
export type GeminiTotals = Record<string, ModelUsage>;

/** Maps one model's stats to cadre's usage: cached tokens are inside the input in both. */
export function geminiUsage(stats: GeminiModelStats): ModelUsage {
  return {
    inputTokens: stats.input_tokens,
    cachedInputTokens: stats.cached,
    cacheWriteTokens: 0,
    outputTokens: stats.output_tokens,
    reasoningTokens: 0,
  };
}

function isEmpty(usage: ModelUsage): boolean {
  return usage.inputTokens === 0 && usage.outputTokens === 0 && usage.cachedInputTokens === 0;
}

/** What a parser knows of the run that the stream does not say. */
export interface GeminiParserOptions {
  /** The model the run was told to use; the `init` line names the one gemini runs, and `result` each one it called. */
  model?: string | null;
  /**
   * The session's totals per model before this run, for a resumed session: gemini restores its
   * counters from the session it resumes, so a `result` reports the whole session's tokens.
   */
  baseline?: GeminiTotals;
  /** Told the session's totals once a `result` reports them, so a later resume can subtract them. */
  onTotals?: (sessionId: string, totals: GeminiTotals) => void;
}

/**
 * A parser for one run of `gemini --output-format stream-json`. Gemini prints no usage per model
 * call, only the session's totals per model in the closing `result`: the run becomes one `model-turn`
 * per model that this run used (its totals less those before the run), carrying the run's text and
 * tool calls on the first. Assistant text arrives in deltas; the text after the last tool is the final.
 */
export function createGeminiParser(options: GeminiParserOptions = {}): EngineStreamParser {
  let sessionId: string | null = null;
  const baseline = options.baseline ?? {};
  let texts: string[] = [];
  let current = '';
  let toolCalls: EngineToolCall[] = [];
  const toolNames = new Map<string, string>();
  let lastError: string | null = null;
  let ended = false;

  const closeText = () => {
    if (current !== '') texts.push(current);
    current = '';
  };

  const resultEvents = (event: Extract<GeminiLine, { type: 'result' }>): EngineEvent[] => {
    const events: EngineEvent[] = [];
    const finalText = current;
    closeText();
    const models = event.stats?.models ?? {};
    const totals: GeminiTotals = {};
    let first = true;
    for (const [model, stats] of Object.entries(models)) {
      const total = geminiUsage(stats);
      totals[model] = total;
      const usage = subtractUsage(total, baseline[model] ?? emptyUsage());
      if (isEmpty(usage)) continue;
      events.push({
        type: 'model-turn',
        modelId: model,
        text: first ? texts.join('\n\n') : '',
        toolCalls: first ? toolCalls : [],
        usage,
      });
      first = false;
    }
    if (sessionId !== null && Object.keys(totals).length > 0) options.onTotals?.(sessionId, totals);
    const failed = event.status !== 'success';
    events.push({
      type: 'final',
      text: finalText,
      isError: failed,
      detail: failed
        ? (event.error?.message ?? lastError ?? `gemini ended with status ${event.status}`)
        : null,
    });
    ended = true;
    texts = [];
    toolCalls = [];
    return events;
  };

  return {
    line(text) {
      const event = readJsonLine(text, GeminiLine);
      if (event === null) return [{ type: 'notice', message: text }];
      switch (event.type) {
        case 'init':
          sessionId = event.session_id;
          return [
            { type: 'session', sessionId: event.session_id, modelId: event.model ?? options.model ?? null },
          ];
        case 'message':
          if (event.role !== 'assistant') return [];
          // deltas join as they come, until a tool call ends the piece of text
          current += event.content;
          return [];
        case 'tool_use': {
          closeText();
          toolNames.set(event.tool_id, event.tool_name);
          const input = event.parameters ?? {};
          toolCalls.push({ id: event.tool_id, name: event.tool_name, input });
          return [{ type: 'tool-started', id: event.tool_id, name: event.tool_name, input }];
        }
        case 'tool_result': {
          const isError = event.status !== 'success';
          return [
            {
              type: 'tool-ended',
              id: event.tool_id,
              name: toolNames.get(event.tool_id) ?? 'unknown',
              output: isError ? (event.error?.message ?? event.output ?? '') : (event.output ?? ''),
              isError,
            },
          ];
        }
        case 'error':
          if (event.severity === 'error') lastError = event.message;
          return [{ type: 'notice', message: `gemini: ${event.message}` }];
        case 'result':
          return resultEvents(event);
      }
    },
    end() {
      // A run cut off before its `result` (killed, crashed) printed no usage; an error it reported is the reason.
      const events: EngineEvent[] = [];
      if (!ended && lastError !== null)
        events.push({ type: 'final', text: current, isError: true, detail: lastError });
      ended = true;
      texts = [];
      current = '';
      toolCalls = [];
      return events;
    },
  };
}
