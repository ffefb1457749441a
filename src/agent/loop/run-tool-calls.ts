import type { ModelToolCall, ModelToolResult } from '../../llm/index.ts';
import type { ToolOutcome } from '../define-tool.ts';
import { runToolCall } from '../run-tool-call.ts';
import { FatalToolError } from '../tool-errors.ts';
import { AgentEnd, emit, type LoopState, throwIfEndRequested } from './loop-state.ts';

const truncatedCallResult =
  'Not run: your response was cut off at the output limit, so the arguments of this call may be incomplete. ' +
  'Make the call again with less in one response: write large files in several smaller edits, and make fewer ' +
  'tool calls per response.';

/** Runs a step's tool calls in order and appends their results; a stop skips the rest, a fatal error ends. */
export async function runToolCalls(state: LoopState, calls: readonly ModelToolCall[]): Promise<void> {
  const results: ModelToolResult[] = [];
  for (const call of calls) {
    if (state.endRequest !== null) break;
    const outcome = await runOneCall(state, call);
    results.push({
      toolCallId: call.id,
      toolName: call.name,
      output: outcome.output,
      isError: outcome.type !== 'success',
    });
  }
  state.messages.push({ role: 'tool', results });
  throwIfEndRequested(state);
}

/**
 * A response cut off at the output limit: its tool calls may have cut arguments (half a file), so
 * none runs; each gets a result telling the model to repeat it with less, as pi-mono does.
 */
export async function refuseTruncatedCalls(
  state: LoopState,
  toolCalls: readonly ModelToolCall[],
): Promise<void> {
  await emit(state, {
    type: 'truncated-tool-calls',
    step: state.totals.steps,
    toolNames: toolCalls.map((call) => call.name),
  });
  const results: ModelToolResult[] = toolCalls.map((call) => ({
    toolCallId: call.id,
    toolName: call.name,
    output: truncatedCallResult,
    isError: true,
  }));
  state.messages.push({ role: 'tool', results });
}

/** One tool call, watched so a stop reaches it, reported before and after. */
async function runOneCall(state: LoopState, call: ModelToolCall): Promise<ToolOutcome> {
  const step = state.totals.steps;
  await emit(state, {
    type: 'tool-call-started',
    step,
    toolCallId: call.id,
    toolName: call.name,
    input: call.input,
  });
  const started = state.clock();
  let outcome: ToolOutcome;
  try {
    outcome = await state.watcher.during(runToolCall(state.options.tools, call, state.toolContext));
  } catch (error) {
    if (!(error instanceof FatalToolError)) throw error;
    throw new AgentEnd({ type: 'fatal-tool-error', toolName: call.name, message: error.message });
  }
  const durationMs = state.clock() - started;
  await emit(state, {
    type: 'tool-call-ended',
    step,
    toolCallId: call.id,
    toolName: call.name,
    outcome,
    durationMs,
  });
  return outcome;
}
