import { emptyUsage, type ModelMessage, sleep as realSleep, type Sleep } from '../../llm/index.ts';
import type { Clock } from '../../protocol/index.ts';
import { AgentBudget } from '../agent-budget.ts';
import type { AgentEndReason, AgentEvent, AgentEventInput, AgentTotals } from '../agent-events.ts';
import type { InboxInstruction } from '../agent-inbox.ts';
import { ContextSettings } from '../context/context-settings.ts';
import { type ContextWindow, createContextWindow } from '../context/context-window.ts';
import { createTokenCounter } from '../context/token-counter.ts';
import type { ToolContext } from '../define-tool.ts';
import type { InboxWatcher } from '../inbox-watcher.ts';
import { toolDefinitions } from '../run-tool-call.ts';
import {
  createStuckDetector,
  type StuckDetector,
  StuckSettings,
  waitingToolNames,
} from '../stuck-detector.ts';
import type { AgentLoopOptions } from './loop-options.ts';

/** A steer waiting to be appended to the conversation before the next step. */
export type Steer = Extract<InboxInstruction, { type: 'steer' }>;

/**
 * Everything one agent run knows, in one place: the settings fixed at the start (readonly) and what the
 * steps change as the run goes (the conversation, the totals, the inbox's requests, the end request).
 */
export interface LoopState {
  readonly options: AgentLoopOptions;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly budget: AgentBudget;
  readonly contextSettings: ContextSettings;
  readonly contextWindow: ContextWindow;
  readonly stuckDetector: StuckDetector;
  readonly costOf: NonNullable<AgentLoopOptions['costOf']>;
  readonly pollIntervalMs: number;
  readonly tools: ReturnType<typeof toolDefinitions>;
  readonly startedAt: number;
  /** Aborted by a stop: it reaches the model call in flight and every running tool. */
  readonly stopController: AbortController;
  /** Aborted when the run ends, so that the inbox watcher's polls stop with it. */
  readonly lifetime: AbortController;
  readonly toolContext: ToolContext;
  /** Added by startLoop, since the watcher's callbacks need the state it belongs to. */
  readonly watcher: InboxWatcher;
  /** The listener on the caller's signal, removed when the run ends. */
  readonly onCallerAbort: () => void;
  readonly totals: AgentTotals;
  /** Replaced (not only appended to) after each step: the context window anchors usage on the sent array. */
  messages: ModelMessage[];
  readonly steers: Steer[];
  pauseRequest: { messageId: string | null } | null;
  resumedBy: string | null;
  /** The first reason to end that arrived (a stop, the caller's abort, the wall-time budget). */
  endRequest: AgentEndReason | null;
}

/** Thrown inside the loop to end the agent with a reason; caught once, at the top. */
export class AgentEnd extends Error {
  constructor(readonly reason: AgentEndReason) {
    super(`agent ended: ${reason.type}`);
  }
}

/** The state at the start of a run, without the parts wired to it (startLoop adds them). */
export function createLoopState(options: AgentLoopOptions): Omit<LoopState, 'watcher' | 'onCallerAbort'> {
  const clock = options.clock ?? Date.now;
  const budget = AgentBudget.parse(options.budget ?? {});
  const contextSettings = ContextSettings.parse(options.context ?? {});
  const stuckDetector = createStuckDetector(StuckSettings.parse(options.stuck ?? {}), {
    waitingTools: waitingToolNames(options.tools),
  });
  const contextWindow = createContextWindow(contextSettings, options.tokenCounter ?? createTokenCounter());
  const stopController = new AbortController();
  return {
    options,
    clock,
    sleep: options.sleep ?? realSleep,
    budget,
    contextSettings,
    contextWindow,
    stuckDetector,
    costOf: options.costOf ?? (() => null),
    pollIntervalMs: options.inboxPollIntervalMs ?? 250,
    tools: toolDefinitions(options.tools),
    startedAt: clock(),
    stopController,
    lifetime: new AbortController(),
    toolContext: { ...options.toolContext, signal: stopController.signal },
    totals: { steps: 0, usage: emptyUsage(), costUsd: 0, unpricedCalls: 0 },
    messages: [{ role: 'user', content: options.task }],
    steers: [],
    pauseRequest: null,
    resumedBy: null,
    endRequest: null,
  };
}

/** Stamps an event with the time and hands it to the listener. */
export async function emit(state: LoopState, event: AgentEventInput): Promise<void> {
  await state.options.onEvent?.({ ...event, at: state.clock() } as AgentEvent);
}

/** Asks the run to end; the first reason wins, and the stop aborts whatever is in flight. */
export function requestEnd(state: Pick<LoopState, 'endRequest' | 'stopController'>, reason: AgentEndReason) {
  if (state.endRequest !== null) return;
  state.endRequest = reason;
  state.stopController.abort(new AgentEnd(reason));
}

/** Milliseconds since the run started, for the wall-time budget. */
export function elapsed(state: Pick<LoopState, 'clock' | 'startedAt'>): number {
  return state.clock() - state.startedAt;
}

/** Ends the run at once when an end was requested meanwhile. */
export function throwIfEndRequested(state: LoopState): void {
  if (state.endRequest !== null) throw new AgentEnd(state.endRequest);
}

/** Makes a switch over a union exhaustive at compile time. */
export function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
