import { z } from 'zod';
import { emptyUsage, type ModelUsage } from '../../llm/index.ts';
import type { EngineEvent, EngineStreamParser, EngineToolCall } from '../engine-adapter.ts';
import { readJsonLine } from '../engine-json-line.ts';
import { subtractUsage } from '../engine-usage.ts';

// The lines `codex exec --json` prints (codex-rs/exec/src/exec_events.rs). Objects are loose: a newer
// codex may add fields, and only the ones read here are checked.

/** Token counts of `turn.completed`: the thread's running totals, not the turn's (see createCodexParser). */
export const CodexUsage = z.looseObject({
  input_tokens: z.number(),
  cached_input_tokens: z.number().default(0),
  cache_write_input_tokens: z.number().default(0),
  output_tokens: z.number(),
  reasoning_output_tokens: z.number().default(0),
});
export type CodexUsage = z.infer<typeof CodexUsage>;

export const CodexAgentMessageItem = z.looseObject({
  id: z.string(),
  type: z.literal('agent_message'),
  text: z.string(),
});

export const CodexCommandExecutionItem = z.looseObject({
  id: z.string(),
  type: z.literal('command_execution'),
  command: z.string(),
  aggregated_output: z.string().default(''),
  exit_code: z.number().nullable().optional(),
  status: z.string().optional(),
});

export const CodexFileChangeItem = z.looseObject({
  id: z.string(),
  type: z.literal('file_change'),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.string().optional() })).default([]),
  status: z.string().optional(),
});

export const CodexMcpToolCallItem = z.looseObject({
  id: z.string(),
  type: z.literal('mcp_tool_call'),
  server: z.string(),
  tool: z.string(),
  arguments: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z.looseObject({ message: z.string() }).nullable().optional(),
  status: z.string().optional(),
});

export const CodexWebSearchItem = z.looseObject({
  id: z.string(),
  type: z.literal('web_search'),
  query: z.string().default(''),
});

export const CodexErrorItem = z.looseObject({
  id: z.string(),
  type: z.literal('error'),
  message: z.string(),
});

/** Any item: the kinds above are read, others (reasoning, todo_list, …) only need an id and a type. */
export const CodexItem = z.looseObject({ id: z.string(), type: z.string() });

export const CodexLine = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('thread.started'), thread_id: z.string() }),
  z.looseObject({ type: z.literal('turn.started') }),
  z.looseObject({ type: z.literal('turn.completed'), usage: CodexUsage }),
  z.looseObject({
    type: z.literal('turn.failed'),
    error: z.looseObject({ message: z.string() }).nullable().optional(),
  }),
  z.looseObject({ type: z.literal('item.started'), item: CodexItem }),
  z.looseObject({ type: z.literal('item.updated'), item: CodexItem }),
  z.looseObject({ type: z.literal('item.completed'), item: CodexItem }),
  z.looseObject({ type: z.literal('error'), message: z.string() }),
]);
export type CodexLine = z.infer<typeof CodexLine>;

/** What a parser knows of the run that the stream does not say. */
export interface CodexParserOptions {
  /** The model the run was told to use; null when codex picks its own (the stream never names it). */
  model?: string | null;
  /**
   * The thread's token totals before this run (from its rollout file), for a resumed thread: codex
   * reports running totals, so this run's usage is what `turn.completed` says minus these.
   */
  baseline?: ModelUsage;
  /**
   * Reads the thread's token totals as codex recorded them (its rollout file), once the program has
   * ended: a run killed or failed mid-turn never prints its usage, but its model calls were paid for.
   */
  readTotals?: (threadId: string) => ModelUsage | null;
}

/** The model id events carry when the run did not name one: codex's own default, which its stream never says. */
export const codexDefaultModelId = 'codex-default';

/** Maps codex's usage to cadre's: both count cached tokens inside the input and reasoning inside the output. */
export function codexUsage(usage: CodexUsage): ModelUsage {
  return {
    inputTokens: usage.input_tokens,
    cachedInputTokens: usage.cached_input_tokens,
    cacheWriteTokens: usage.cache_write_input_tokens,
    outputTokens: usage.output_tokens,
    reasoningTokens: usage.reasoning_output_tokens,
  };
}

function exceeds(total: ModelUsage, before: ModelUsage): boolean {
  return (
    total.inputTokens > before.inputTokens ||
    total.outputTokens > before.outputTokens ||
    total.cachedInputTokens > before.cachedInputTokens ||
    total.cacheWriteTokens > before.cacheWriteTokens ||
    total.reasoningTokens > before.reasoningTokens
  );
}

/** A tool-like item as cadre's events show it: its name, input and (once completed) output. */
interface ToolView {
  name: string;
  input: unknown;
  output: string;
  isError: boolean;
}

function toolView(item: z.infer<typeof CodexItem>): ToolView | null {
  switch (item.type) {
    case 'command_execution': {
      const parsed = CodexCommandExecutionItem.safeParse(item);
      if (!parsed.success) return null;
      const { command, aggregated_output, exit_code, status } = parsed.data;
      const failed = status === 'failed' || status === 'declined' || (exit_code != null && exit_code !== 0);
      return { name: 'command_execution', input: { command }, output: aggregated_output, isError: failed };
    }
    case 'file_change': {
      const parsed = CodexFileChangeItem.safeParse(item);
      if (!parsed.success) return null;
      const { changes, status } = parsed.data;
      const summary = changes.map((change) => `${change.kind ?? 'change'} ${change.path}`).join('\n');
      return { name: 'file_change', input: { changes }, output: summary, isError: status === 'failed' };
    }
    case 'mcp_tool_call': {
      const parsed = CodexMcpToolCallItem.safeParse(item);
      if (!parsed.success) return null;
      const { server, tool, arguments: input, result, error, status } = parsed.data;
      const output = error
        ? error.message
        : result === undefined || result === null
          ? ''
          : JSON.stringify(result);
      return { name: `${server}.${tool}`, input, output, isError: status === 'failed' || Boolean(error) };
    }
    case 'web_search': {
      const parsed = CodexWebSearchItem.safeParse(item);
      if (!parsed.success) return null;
      return { name: 'web_search', input: { query: parsed.data.query }, output: '', isError: false };
    }
    default:
      return null;
  }
}

/**
 * A parser for one run of `codex exec --json`. Codex runs one turn per exec: the turn's items (agent
 * messages, commands, file changes), then `turn.completed` with usage, or `turn.failed`. The turn
 * becomes one `model-turn` (codex does not report its model calls one by one); its usage is the
 * difference of codex's running totals, which on a resumed thread include the earlier runs. A turn
 * that never completed (killed, failed) is counted at the end from the totals codex recorded.
 */
export function createCodexParser(options: CodexParserOptions = {}): EngineStreamParser {
  const modelId = options.model ?? codexDefaultModelId;
  let totals: ModelUsage = options.baseline ?? emptyUsage();
  let texts: string[] = [];
  let toolCalls: EngineToolCall[] = [];
  let lastMessage: string | null = null;
  let lastError: string | null = null;
  let ended = false;
  let threadId: string | null = null;
  const started = new Set<string>();

  const itemEvents = (
    phase: 'item.started' | 'item.updated' | 'item.completed',
    item: z.infer<typeof CodexItem>,
  ): EngineEvent[] => {
    if (phase === 'item.completed' && item.type === 'agent_message') {
      const parsed = CodexAgentMessageItem.safeParse(item);
      if (!parsed.success)
        return [{ type: 'notice', message: `codex: unreadable agent message ${JSON.stringify(item)}` }];
      texts.push(parsed.data.text);
      lastMessage = parsed.data.text;
      return [];
    }
    if (item.type === 'error') {
      if (phase !== 'item.completed') return [];
      const parsed = CodexErrorItem.safeParse(item);
      return [
        { type: 'notice', message: `codex: ${parsed.success ? parsed.data.message : JSON.stringify(item)}` },
      ];
    }
    if (phase === 'item.updated') return [];
    const view = toolView(item);
    if (view === null) return [];
    const events: EngineEvent[] = [];
    if (!started.has(item.id)) {
      // file changes arrive completed, without a start
      started.add(item.id);
      toolCalls.push({ id: item.id, name: view.name, input: view.input });
      events.push({ type: 'tool-started', id: item.id, name: view.name, input: view.input });
    }
    if (phase === 'item.completed')
      events.push({
        type: 'tool-ended',
        id: item.id,
        name: view.name,
        output: view.output,
        isError: view.isError,
      });
    return events;
  };

  const endTurn = () => {
    ended = true;
    texts = [];
    toolCalls = [];
  };

  return {
    line(text) {
      const event = readJsonLine(text, CodexLine);
      if (event === null) return [{ type: 'notice', message: text }];
      switch (event.type) {
        case 'thread.started':
          threadId = event.thread_id;
          return [{ type: 'session', sessionId: event.thread_id, modelId: options.model ?? null }];
        case 'turn.started':
          texts = [];
          toolCalls = [];
          lastMessage = null;
          lastError = null;
          ended = false;
          return [];
        case 'turn.completed': {
          const reported = codexUsage(event.usage);
          const usage = subtractUsage(reported, totals);
          totals = reported;
          const turn: EngineEvent = {
            type: 'model-turn',
            modelId,
            text: texts.join('\n\n'),
            toolCalls,
            usage,
          };
          endTurn();
          return [turn, { type: 'final', text: lastMessage ?? '', isError: false, detail: null }];
        }
        case 'turn.failed': {
          const detail = event.error?.message ?? lastError ?? 'codex reported the turn failed';
          endTurn();
          return [{ type: 'final', text: lastMessage ?? '', isError: true, detail }];
        }
        case 'error':
          lastError = event.message;
          return [{ type: 'notice', message: `codex: ${event.message}` }];
        case 'item.started':
        case 'item.updated':
        case 'item.completed':
          return itemEvents(event.type, event.item);
      }
    },
    end() {
      const events: EngineEvent[] = [];
      const recorded = threadId === null ? null : (options.readTotals?.(threadId) ?? null);
      if (recorded !== null && exceeds(recorded, totals)) {
        events.push({
          type: 'model-turn',
          modelId,
          text: texts.join('\n\n'),
          toolCalls,
          usage: subtractUsage(recorded, totals),
        });
        totals = recorded;
      }
      // A run cut off mid-turn (killed, crashed) has no final, unless codex said what went wrong: its
      // "Reconnecting…" errors come before a `turn.failed`, so one still unanswered is the reason.
      if (!ended && lastError !== null)
        events.push({ type: 'final', text: lastMessage ?? '', isError: true, detail: lastError });
      ended = true;
      texts = [];
      toolCalls = [];
      return events;
    },
  };
}
