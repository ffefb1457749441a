import {
  addUsage,
  emptyUsage,
  isModelError,
  type Model,
  type ModelMessage,
  type ModelRequest,
  type ModelResponse,
  type ModelToolCall,
  type ModelToolResult,
  type ModelUsage,
  sleep as realSleep,
  type Sleep,
} from '../llm/index.ts';
import type { Clock } from '../protocol/index.ts';
import { AgentBudget, exceededBudget } from './agent-budget.ts';
import type {
  AgentEndReason,
  AgentEvent,
  AgentEventInput,
  AgentEventListener,
  AgentTotals,
  ModelCallPurpose,
} from './agent-events.ts';
import type { InboxInstruction, PollInbox } from './agent-inbox.ts';
import { ContextSettings, type ContextSettingsInput } from './context/context-settings.ts';
import { createContextWindow } from './context/context-window.ts';
import { createTokenCounter, type TokenCounter } from './context/token-counter.ts';
import type { Tool, ToolContext, ToolOutcome } from './define-tool.ts';
import { createInboxWatcher } from './inbox-watcher.ts';
import { runToolCall, toolDefinitions } from './run-tool-call.ts';
import { createStuckDetector, StuckSettings, type StuckVerdict, waitingToolNames } from './stuck-detector.ts';
import type { ToolCounters } from './tool-counters.ts';
import { FatalToolError } from './tool-errors.ts';

/** Everything one agent runs with; the callbacks are the seams the orchestrator, the CLI and tests plug into. */
export interface AgentLoopOptions {
  model: Model;
  /** The tools the agent may call (the tools module builds them; the loop only dispatches). */
  tools: readonly Tool[];
  /** The tools' context minus the signal, which the loop owns so that a stop reaches every tool. */
  toolContext: Omit<ToolContext, 'signal'>;
  system?: string;
  /** The first user message. */
  task: string;
  budget?: AgentBudget;
  context?: ContextSettingsInput;
  stuck?: Partial<StuckSettings>;
  /** Shared between agents because building one takes a moment; a fresh one by default. */
  tokenCounter?: TokenCounter;
  /** Dollars of one call, or null when the model's price is unknown; every call is unpriced by default. */
  costOf?: (modelId: string, usage: ModelUsage) => number | null;
  /**
   * Whether the task is done when the model answers without tool calls (for example: the worker wrote its
   * handoff). When it says no, the model is told to continue and the step counts toward stuck detection.
   * By default a text-only answer ends the agent as completed.
   */
  isTaskFinished?: (finalText: string) => boolean | Promise<boolean>;
  /**
   * Asked after every step's tool calls ran: whether a tool finished the task (a worker's `handoff`,
   * a judge's verdict). When it says yes the agent ends as completed at once, rather than paying a
   * whole-context model call for a closing remark; a steer that arrived meanwhile is answered first.
   */
  isFinishedByTools?: () => boolean | Promise<boolean>;
  /** The agent's inbox (see createBoardInbox); polled between steps and while calls and tools run. */
  pollInbox?: PollInbox;
  /** How often the inbox is polled while a call or a tool runs, and while paused. Default 250. */
  inboxPollIntervalMs?: number;
  onEvent?: AgentEventListener;
  /** Streamed text of the task steps as it arrives (never stored). */
  onTextDelta?: (delta: string) => void;
  clock?: Clock;
  sleep?: Sleep;
  /** Aborting it stops the agent like a `stop` from the inbox. */
  signal?: AbortSignal;
}

/** How an agent ended and what it used. */
export interface AgentResult {
  reason: AgentEndReason;
  totals: AgentTotals;
  /** The agent's tool tallies (the same object as `toolContext.counters`). */
  counters: ToolCounters;
  /** The conversation as it stood at the end, after any compaction. */
  messages: ModelMessage[];
}

/** Thrown inside the loop to end the agent with a reason; caught once, at the top. */
class AgentEnd extends Error {
  constructor(readonly reason: AgentEndReason) {
    super(`agent ended: ${reason.type}`);
  }
}

const continuePrompt =
  'The task is not finished yet. Continue working on it with the tools; when it is done, say so and stop.';
const cutOffPrompt = 'Your answer was cut off at the output limit. Continue exactly where it stopped.';
const truncatedCallResult =
  'Not run: your response was cut off at the output limit, so the arguments of this call may be incomplete. ' +
  'Make the call again with less in one response: write large files in several smaller edits, and make fewer ' +
  'tool calls per response.';

/**
 * Runs one agent until the model ends its turn, a budget runs out, the agent is stuck, a stop arrives, the
 * model fails or a tool fails fatally: build context → one model call → run its tool calls → append the
 * results → check the inbox and the budgets → repeat. Resolves with the end reason; rejects only on bugs.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentResult> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const budget = AgentBudget.parse(options.budget ?? {});
  const contextSettings = ContextSettings.parse(options.context ?? {});
  const stuckDetector = createStuckDetector(StuckSettings.parse(options.stuck ?? {}), {
    waitingTools: waitingToolNames(options.tools),
  });
  const counter = options.tokenCounter ?? createTokenCounter();
  const contextWindow = createContextWindow(contextSettings, counter);
  const costOf = options.costOf ?? (() => null);
  const pollIntervalMs = options.inboxPollIntervalMs ?? 250;
  const tools = toolDefinitions(options.tools);
  const startedAt = clock();

  // One controller per agent: a stop aborts the model call in flight and every running tool through it.
  const stopController = new AbortController();
  const lifetime = new AbortController();
  const toolContext: ToolContext = { ...options.toolContext, signal: stopController.signal };
  const totals: AgentTotals = { steps: 0, usage: emptyUsage(), costUsd: 0, unpricedCalls: 0 };
  let messages: ModelMessage[] = [{ role: 'user', content: options.task }];
  const steers: Array<Extract<InboxInstruction, { type: 'steer' }>> = [];
  let pauseRequest: { messageId: string | null } | null = null;
  let resumedBy: string | null = null;
  let endRequest: AgentEndReason | null = null;

  const emit = async (event: AgentEventInput) => {
    await options.onEvent?.({ ...event, at: clock() } as AgentEvent);
  };
  const requestEnd = (reason: AgentEndReason) => {
    if (endRequest !== null) return;
    endRequest = reason;
    stopController.abort(new AgentEnd(reason));
  };
  const elapsed = () => clock() - startedAt;

  const onCallerAbort = () => requestEnd({ type: 'stopped', reason: 'the caller aborted the agent' });
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const watcher = createInboxWatcher({
    pollInbox: options.pollInbox,
    intervalMs: pollIntervalMs,
    sleep,
    signal: lifetime.signal,
    onInstruction: receive,
    onPollError: (error) => emit({ type: 'inbox-poll-failed', message: String(error) }),
    onTick() {
      // A long call must not outlive the wall-time budget; steps, tokens and dollars move only between steps.
      if (budget.maxWallTimeMs !== undefined && elapsed() >= budget.maxWallTimeMs)
        requestEnd({ type: 'budget', budget: 'wall-time', limit: budget.maxWallTimeMs, used: elapsed() });
    },
  });

  async function receive(instruction: InboxInstruction): Promise<void> {
    switch (instruction.type) {
      case 'steer':
        steers.push(instruction);
        await emit({ type: 'steer-received', messageId: instruction.messageId, text: instruction.text });
        return;
      case 'stop':
        await emit({ type: 'stop-received', messageId: instruction.messageId, reason: instruction.reason });
        requestEnd({ type: 'stopped', reason: instruction.reason });
        return;
      case 'pause':
        pauseRequest ??= { messageId: instruction.messageId };
        return;
      case 'resume':
        pauseRequest = null;
        resumedBy = instruction.messageId;
        return;
      default:
        return assertNever(instruction);
    }
  }

  /** Holds the loop between steps while paused; only a resume or a stop lets it go. */
  async function holdWhilePaused(): Promise<void> {
    if (pauseRequest === null || endRequest !== null) return;
    const since = clock();
    await emit({ type: 'paused', messageId: pauseRequest.messageId });
    while (pauseRequest !== null && endRequest === null) {
      try {
        await sleep(pollIntervalMs, stopController.signal);
      } catch {
        break;
      }
      await watcher.poll();
    }
    if (endRequest === null) await emit({ type: 'resumed', messageId: resumedBy, pausedMs: clock() - since });
  }

  function checkEnd(): void {
    if (endRequest !== null) throw new AgentEnd(endRequest);
    const exceeded = exceededBudget(budget, totals, elapsed());
    if (exceeded !== null) throw new AgentEnd({ type: 'budget', ...exceeded });
  }

  async function callModel(request: ModelRequest, purpose: ModelCallPurpose): Promise<ModelResponse> {
    const step = purpose === 'step' ? totals.steps + 1 : totals.steps;
    const measured = contextWindow.measure(request);
    await emit({
      type: 'model-call-started',
      step,
      purpose,
      requestTokens: measured.tokens,
      requestTokensExact: measured.exact,
    });
    let response: ModelResponse;
    try {
      const onTextDelta = purpose === 'step' ? options.onTextDelta : undefined;
      response = await watcher.during(
        options.model.generate(request, {
          signal: stopController.signal,
          ...(onTextDelta ? { onTextDelta } : {}),
        }),
      );
    } catch (error) {
      if (endRequest !== null) throw new AgentEnd(endRequest);
      if (!isModelError(error)) throw error;
      await emit({ type: 'model-call-failed', step, purpose, errorType: error.type, message: error.message });
      throw new AgentEnd({ type: 'model-error', errorType: error.type, message: error.message });
    }
    if (purpose === 'step') {
      totals.steps += 1;
      contextWindow.recordUsage(request, response.usage);
    }
    const costUsd = costOf(response.modelId, response.usage);
    totals.usage = addUsage(totals.usage, response.usage);
    if (costUsd === null) totals.unpricedCalls += 1;
    else totals.costUsd += costUsd;
    const { text, toolCalls, finishReason, usage, modelId, latencyMs } = response;
    await emit({
      type: 'model-call-ended',
      step,
      purpose,
      modelId,
      text,
      toolCalls,
      finishReason,
      usage,
      costUsd,
      latencyMs,
    });
    if (endRequest !== null) throw new AgentEnd(endRequest);
    return response;
  }

  /** The next request, compacted to fit the window (masking first, then a summary by the model). */
  async function buildRequest(): Promise<ModelRequest> {
    const request: ModelRequest = {
      messages,
      tools,
      toolChoice: 'auto',
      maxOutputTokens: contextSettings.reservedOutputTokens,
      ...(options.system === undefined ? {} : { system: options.system }),
    };
    const fitted = await contextWindow.fit(request, {
      summarize: async (summaryRequest) => {
        const maxOutputTokens = contextSettings.reservedOutputTokens;
        return (await callModel({ ...summaryRequest, maxOutputTokens }, 'summary')).text;
      },
      onCompaction: (compaction) => emit({ type: 'compaction', ...compaction }),
    });
    if (fitted.type === 'too-large') {
      const message = `the conversation needs ${fitted.tokens} tokens even after compaction; the limit is ${fitted.limit}`;
      throw new AgentEnd({ type: 'model-error', errorType: 'context-overflow', message });
    }
    return fitted.request;
  }

  async function runTools(calls: readonly ModelToolCall[]): Promise<void> {
    const results: ModelToolResult[] = [];
    for (const call of calls) {
      if (endRequest !== null) break;
      await emit({
        type: 'tool-call-started',
        step: totals.steps,
        toolCallId: call.id,
        toolName: call.name,
        input: call.input,
      });
      const started = clock();
      let outcome: ToolOutcome;
      try {
        outcome = await watcher.during(runToolCall(options.tools, call, toolContext));
      } catch (error) {
        if (!(error instanceof FatalToolError)) throw error;
        throw new AgentEnd({ type: 'fatal-tool-error', toolName: call.name, message: error.message });
      }
      const durationMs = clock() - started;
      await emit({
        type: 'tool-call-ended',
        step: totals.steps,
        toolCallId: call.id,
        toolName: call.name,
        outcome,
        durationMs,
      });
      results.push({
        toolCallId: call.id,
        toolName: call.name,
        output: outcome.output,
        isError: outcome.type !== 'success',
      });
    }
    messages.push({ role: 'tool', results });
    if (endRequest !== null) throw new AgentEnd(endRequest);
  }

  /** Passes a stuck warning to the model, or ends the agent when it was already warned. */
  async function applyStuckVerdict(verdict: StuckVerdict, otherwise: string | null): Promise<void> {
    switch (verdict.type) {
      case 'ok':
        if (otherwise !== null) messages.push({ role: 'user', content: otherwise });
        return;
      case 'warn':
        await emit({ type: 'stuck-warning', pattern: verdict.pattern, detail: verdict.detail });
        messages.push({ role: 'user', content: verdict.message });
        return;
      case 'stuck':
        throw new AgentEnd({ type: 'stuck', pattern: verdict.pattern, detail: verdict.detail });
      default:
        return assertNever(verdict);
    }
  }

  /**
   * A response cut off at the output limit: its tool calls may have cut arguments (half a file), so
   * none runs; each gets a result telling the model to repeat it with less, as pi-mono does.
   */
  async function refuseTruncatedCalls(toolCalls: readonly ModelToolCall[]): Promise<void> {
    await emit({
      type: 'truncated-tool-calls',
      step: totals.steps,
      toolNames: toolCalls.map((call) => call.name),
    });
    const results: ModelToolResult[] = toolCalls.map((call) => ({
      toolCallId: call.id,
      toolName: call.name,
      output: truncatedCallResult,
      isError: true,
    }));
    messages.push({ role: 'tool', results });
  }

  /** A step without tool calls: the end of the task, or a nudge to go on while it is unfinished. */
  async function afterTextOnly(response: ModelResponse): Promise<void> {
    const cutOff = response.finishReason === 'length';
    const finished = !cutOff && (await (options.isTaskFinished?.(response.text) ?? true));
    if (finished) {
      // A steer that arrived during the last call deserves an answer before the agent ends.
      await watcher.poll();
      if (steers.length === 0 || endRequest !== null)
        throw new AgentEnd(endRequest ?? { type: 'completed', text: response.text });
      return;
    }
    await applyStuckVerdict(stuckDetector.observe([]), cutOff ? cutOffPrompt : continuePrompt);
  }

  let reason: AgentEndReason;
  try {
    await emit({
      type: 'agent-started',
      modelId: options.model.id,
      toolNames: tools.map((tool) => tool.name),
      task: options.task,
    });
    for (;;) {
      await watcher.poll();
      await holdWhilePaused();
      checkEnd();
      for (const steer of steers.splice(0)) messages.push({ role: 'user', content: steer.text });
      const request = await buildRequest();
      const response = await callModel(request, 'step');
      // A fresh array: the context window anchors provider usage on the exact messages it was sent.
      messages = [
        ...request.messages,
        { role: 'assistant', content: response.text, toolCalls: response.toolCalls },
      ];
      if (response.toolCalls.length === 0) {
        await afterTextOnly(response);
        continue;
      }
      if (response.finishReason === 'length') {
        await refuseTruncatedCalls(response.toolCalls);
        continue;
      }
      const verdict = stuckDetector.observe(response.toolCalls);
      if (verdict.type === 'stuck') await applyStuckVerdict(verdict, null);
      await runTools(response.toolCalls);
      if (await (options.isFinishedByTools?.() ?? false)) {
        await watcher.poll();
        if (steers.length === 0 || endRequest !== null)
          throw new AgentEnd(endRequest ?? { type: 'completed', text: response.text });
      }
      await applyStuckVerdict(verdict, null);
    }
  } catch (error) {
    if (!(error instanceof AgentEnd)) throw error;
    reason = error.reason;
  } finally {
    lifetime.abort();
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
  await emit({ type: 'agent-ended', reason, totals: { ...totals } });
  return { reason, totals: { ...totals }, counters: toolContext.counters, messages };
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
