// Reads the stream-json lines (schemas in claude-code-lines.ts) as cadre engine events: one model turn per API call.
import type { z } from 'zod';
import type { EngineEvent, EngineStreamParser, EngineToolCall } from '../engine-adapter.ts';
import {
  type AnthropicUsage,
  ApiRetryLine,
  AssistantLine,
  ContentBlock,
  ContentBlockDeltaEvent,
  ContentBlockStartEvent,
  MessageDeltaEvent,
  MessageStartEvent,
  MessageStopEvent,
  mergeUsage,
  ResultLine,
  StreamEventLine,
  SystemLine,
  UserLine,
  usageFromAnthropic,
} from './claude-code-lines.ts';

interface TurnBlock {
  type: string;
  text: string;
  id: string;
  name: string;
  input: unknown;
  json: string;
}

/** One model call being put together: from stream events, or from assistant lines when none came. */
interface OpenTurn {
  messageId: string | null;
  model: string;
  usage: AnthropicUsage;
  blocks: Map<number, TurnBlock>;
}

const noticeLimit = 2000;

/** System lines that only say what the other lines show: a request under way, a shell command's task. */
const quietSystemLines = new Set(['init', 'status', 'task_started', 'task_progress', 'task_notification']);

function clip(text: string): string {
  return text.length > noticeLimit ? `${text.slice(0, noticeLimit)}…` : text;
}

function parseJsonLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The text of a tool result's content: a string, or blocks of which the text ones are kept. */
function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    return content === undefined || content === null ? '' : JSON.stringify(content);
  return content
    .map((block) => {
      const parsed = ContentBlock.safeParse(block);
      if (!parsed.success) return '';
      return parsed.data.type === 'text' ? (parsed.data.text ?? '') : `[${parsed.data.type}]`;
    })
    .filter((piece) => piece !== '')
    .join('\n');
}

/** A system line worth keeping, in a sentence where cadre knows its shape. */
function systemNotice(value: unknown, text: string): string {
  const retry = ApiRetryLine.safeParse(value);
  if (!retry.success) return `claude-code: ${text}`;
  const { attempt, max_retries, retry_delay_ms, error_status, error } = retry.data;
  return `claude-code: API call failed (${error_status ?? 'no status'}${error ? `: ${error}` : ''}); retry ${attempt ?? '?'} of ${max_retries ?? '?'} in ${retry_delay_ms ?? '?'} ms`;
}

function resultDetail(result: z.infer<typeof ResultLine>, isError: boolean): string | null {
  if (!isError) return null;
  const parts: string[] = [];
  if (result.subtype !== 'success') parts.push(result.subtype);
  if (result.api_error_status !== null && result.api_error_status !== undefined)
    parts.push(
      `API error ${result.api_error_status}${result.api_error_type ? ` (${result.api_error_type})` : ''}`,
    );
  // the subtype already says why a run stopped early; a "success" that failed says it here
  if (result.subtype === 'success' && result.terminal_reason && result.terminal_reason !== 'completed')
    parts.push(result.terminal_reason);
  for (const error of result.errors ?? []) parts.push(error);
  return parts.length === 0 ? 'error' : parts.join(': ');
}

/**
 * A parser of Claude Code's stream-json. One `model-turn` per API call, from the raw stream events
 * `--include-partial-messages` adds: message_start's usage (input, cache reads and writes) merged with
 * message_delta's (the final output count), and the text and tool calls of the content blocks.
 * The `assistant` lines repeat the content with the start's usage (output_tokens 1), so they only give
 * the tool calls' whole input; a message that came without stream events is counted from them.
 */
export function createClaudeCodeParser(): EngineStreamParser {
  // keyed by parent_tool_use_id ('' for the main conversation), so a sub-agent's stream stays apart
  const streamed = new Map<string, OpenTurn>();
  const unstreamed = new Map<string, OpenTurn>();
  // the id of the stream turn that just ended: its late assistant lines are not a new message
  const justEnded = new Map<string, string | null>();
  const toolNames = new Map<string, string>();
  const toolInputs = new Map<string, unknown>();

  function finish(turn: OpenTurn): EngineEvent[] {
    const texts: string[] = [];
    const toolCalls: EngineToolCall[] = [];
    for (const index of [...turn.blocks.keys()].sort((a, b) => a - b)) {
      const block = turn.blocks.get(index)!;
      if (block.type === 'text') texts.push(block.text);
      if (block.type === 'tool_use')
        toolCalls.push({ id: block.id, name: block.name, input: toolInput(block) });
    }
    const events: EngineEvent[] = [
      {
        type: 'model-turn',
        modelId: turn.model,
        text: texts.join(''),
        toolCalls,
        usage: usageFromAnthropic(turn.usage),
      },
    ];
    for (const call of toolCalls) events.push({ type: 'tool-started', ...call });
    return events;
  }

  function toolInput(block: TurnBlock): unknown {
    if (toolInputs.has(block.id)) return toolInputs.get(block.id);
    if (block.json === '') return block.input ?? {};
    const parsed = parseJsonLine(block.json);
    return parsed === undefined ? block.json : parsed;
  }

  function flushUnstreamed(): EngineEvent[] {
    const events: EngineEvent[] = [];
    for (const turn of unstreamed.values()) events.push(...finish(turn));
    unstreamed.clear();
    return events;
  }

  function onStreamEvent(key: string, event: unknown): EngineEvent[] {
    const start = MessageStartEvent.safeParse(event);
    if (start.success) {
      // a turn still open here lost its stream (a retry follows): count what it had
      const torn = streamed.get(key);
      streamed.set(key, {
        messageId: start.data.message.id ?? null,
        model: start.data.message.model ?? 'unknown',
        usage: start.data.message.usage,
        blocks: new Map(),
      });
      justEnded.delete(key);
      return torn ? finish(torn) : [];
    }
    const turn = streamed.get(key);
    if (turn === undefined) return [];
    const blockStart = ContentBlockStartEvent.safeParse(event);
    if (blockStart.success) {
      const block = blockStart.data.content_block;
      if (block.type === 'tool_use' && block.id && block.name) toolNames.set(block.id, block.name);
      turn.blocks.set(blockStart.data.index, {
        type: block.type,
        text: block.text ?? '',
        id: block.id ?? '',
        name: block.name ?? '',
        input: block.input,
        json: '',
      });
      return [];
    }
    const delta = ContentBlockDeltaEvent.safeParse(event);
    if (delta.success) {
      const block = turn.blocks.get(delta.data.index);
      if (block === undefined) return [];
      if (delta.data.delta.type === 'text_delta') block.text += delta.data.delta.text ?? '';
      if (delta.data.delta.type === 'input_json_delta') block.json += delta.data.delta.partial_json ?? '';
      return [];
    }
    const messageDelta = MessageDeltaEvent.safeParse(event);
    if (messageDelta.success) {
      if (messageDelta.data.usage) turn.usage = mergeUsage(turn.usage, messageDelta.data.usage);
      return [];
    }
    if (MessageStopEvent.safeParse(event).success) {
      streamed.delete(key);
      justEnded.set(key, turn.messageId);
      return finish(turn);
    }
    return [];
  }

  function onAssistant(line: z.infer<typeof AssistantLine>): EngineEvent[] {
    const key = line.parent_tool_use_id ?? '';
    const message = line.message;
    for (const block of message.content) {
      if (block.type !== 'tool_use' || !block.id) continue;
      if (block.name) toolNames.set(block.id, block.name);
      toolInputs.set(block.id, block.input ?? {});
    }
    if (line.is_api_error_message || message.model === '<synthetic>') {
      const text = message.content.map((block) => block.text ?? '').join('');
      return [{ type: 'notice', message: clip(`claude-code: ${text || 'API error'}`) }];
    }
    if (streamed.has(key)) return [];
    const ended = justEnded.get(key);
    if (ended !== undefined && ended === (message.id ?? null)) return [];
    // no stream events for this message: count it from the assistant lines themselves
    const events: EngineEvent[] = [];
    let turn = unstreamed.get(key);
    if (turn !== undefined && turn.messageId !== (message.id ?? null)) {
      events.push(...finish(turn));
      turn = undefined;
    }
    if (turn === undefined) {
      turn = {
        messageId: message.id ?? null,
        model: message.model ?? 'unknown',
        usage: {},
        blocks: new Map(),
      };
      unstreamed.set(key, turn);
    }
    if (message.usage) turn.usage = mergeUsage(turn.usage, message.usage);
    for (const block of message.content) {
      turn.blocks.set(turn.blocks.size, {
        type: block.type,
        text: block.text ?? '',
        id: block.id ?? '',
        name: block.name ?? '',
        input: block.input,
        json: '',
      });
    }
    return events;
  }

  function onUser(line: z.infer<typeof UserLine>): EngineEvent[] {
    justEnded.delete(line.parent_tool_use_id ?? '');
    if (typeof line.message.content === 'string') return [];
    const events: EngineEvent[] = [];
    for (const block of line.message.content) {
      if (block.type !== 'tool_result' || !block.tool_use_id) continue;
      events.push({
        type: 'tool-ended',
        id: block.tool_use_id,
        name: toolNames.get(block.tool_use_id) ?? 'unknown',
        output: toolResultText(block.content),
        isError: block.is_error === true,
      });
    }
    return events;
  }

  function onLine(text: string): EngineEvent[] {
    const value = parseJsonLine(text);
    if (value === undefined) return [{ type: 'notice', message: clip(text) }];
    const stream = StreamEventLine.safeParse(value);
    if (stream.success) return onStreamEvent(stream.data.parent_tool_use_id ?? '', stream.data.event);
    const assistant = AssistantLine.safeParse(value);
    if (assistant.success) return onAssistant(assistant.data);
    // any other line closes the messages that came without stream events
    const events = flushUnstreamed();
    const user = UserLine.safeParse(value);
    if (user.success) return [...events, ...onUser(user.data)];
    const system = SystemLine.safeParse(value);
    if (system.success) {
      if (system.data.subtype === 'init' && system.data.session_id)
        events.push({
          type: 'session',
          sessionId: system.data.session_id,
          modelId: system.data.model ?? null,
        });
      else if (!quietSystemLines.has(system.data.subtype))
        events.push({ type: 'notice', message: clip(systemNotice(value, text)) });
      return events;
    }
    const result = ResultLine.safeParse(value);
    if (result.success) {
      for (const turn of streamed.values()) events.push(...finish(turn));
      streamed.clear();
      const isError = result.data.is_error === true || result.data.subtype !== 'success';
      events.push({
        type: 'final',
        text: result.data.result ?? '',
        isError,
        detail: resultDetail(result.data, isError),
      });
      return events;
    }
    events.push({ type: 'notice', message: clip(text) });
    return events;
  }

  return {
    line: onLine,
    end() {
      const events = flushUnstreamed();
      // a call cut off mid-stream (the run was killed): its input was sent, so count what is known
      for (const turn of streamed.values()) events.push(...finish(turn));
      streamed.clear();
      return events;
    },
  };
}
