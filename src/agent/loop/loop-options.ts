import type { Model, ModelMessage, ModelUsage, Sleep } from '../../llm/index.ts';
import type { Clock } from '../../protocol/index.ts';
import type { AgentBudget } from '../agent-budget.ts';
import type { AgentEndReason, AgentEventListener, AgentTotals } from '../agent-events.ts';
import type { PollInbox } from '../agent-inbox.ts';
import type { ContextSettingsInput } from '../context/context-settings.ts';
import type { TokenCounter } from '../context/token-counter.ts';
import type { Tool, ToolContext } from '../define-tool.ts';
import type { StuckSettings } from '../stuck-detector.ts';
import type { ToolCounters } from '../tool-counters.ts';

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
