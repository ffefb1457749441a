import type { ModelErrorType, ModelFinishReason, ModelToolCall, ModelUsage } from '../llm/index.ts';
import type { ToolOutcome } from './define-tool.ts';

/** Which limit of an agent's budget ran out. */
export type BudgetKind = 'steps' | 'tokens' | 'dollars' | 'wall-time';

/** The pattern that made the stuck detector fire. */
export type StuckPattern = 'repeated-tool-call' | 'no-tool-calls';

/** Why an agent ended; exactly one per agent, recorded in its `agent-ended` event. */
export type AgentEndReason =
  | { type: 'completed'; text: string }
  | { type: 'budget'; budget: BudgetKind; limit: number; used: number }
  | { type: 'stuck'; pattern: StuckPattern; detail: string }
  | { type: 'stopped'; reason: string }
  | { type: 'model-error'; errorType: ModelErrorType; message: string }
  | { type: 'fatal-tool-error'; toolName: string; message: string }
  /** An external agent program (an engine) crashed, was refused by the sandbox or ended in an error. */
  | { type: 'engine-failed'; engine: string; message: string };

/** Why the loop called the model: a step of the task, or a summary of old context. */
export type ModelCallPurpose = 'step' | 'summary';

/** How context was compacted. */
export type CompactionStrategy = 'mask-tool-outputs' | 'summarize';

/** Running totals of an agent's model use. */
export interface AgentTotals {
  /** Model calls made for task steps (summaries do not count as steps). */
  steps: number;
  /** Tokens of every model call, summaries included. */
  usage: ModelUsage;
  /** Dollars of the priced calls. */
  costUsd: number;
  /** Calls whose price was unknown; their cost is missing from costUsd. */
  unpricedCalls: number;
}

/** An agent event as the loop builds it, before the clock stamps it with `at`. */
export type AgentEventInput =
  | { type: 'agent-started'; modelId: string; toolNames: string[]; task: string }
  | {
      type: 'model-call-started';
      step: number;
      purpose: ModelCallPurpose;
      /** Tokens of the request: counted when near the window, else an upper bound (see `requestTokensExact`). */
      requestTokens: number;
      requestTokensExact: boolean;
    }
  | {
      type: 'model-call-ended';
      step: number;
      purpose: ModelCallPurpose;
      modelId: string;
      text: string;
      toolCalls: ModelToolCall[];
      finishReason: ModelFinishReason;
      usage: ModelUsage;
      costUsd: number | null;
      latencyMs: number;
    }
  | {
      type: 'model-call-failed';
      step: number;
      purpose: ModelCallPurpose;
      errorType: ModelErrorType;
      message: string;
    }
  | { type: 'tool-call-started'; step: number; toolCallId: string; toolName: string; input: unknown }
  | {
      type: 'tool-call-ended';
      step: number;
      toolCallId: string;
      toolName: string;
      outcome: ToolOutcome;
      durationMs: number;
    }
  | {
      type: 'compaction';
      strategy: CompactionStrategy;
      tokensBefore: number;
      tokensAfter: number;
      messagesAffected: number;
    }
  | { type: 'steer-received'; messageId: string | null; text: string }
  | { type: 'stop-received'; messageId: string | null; reason: string }
  | { type: 'paused'; messageId: string | null }
  | { type: 'resumed'; messageId: string | null; pausedMs: number }
  | { type: 'inbox-poll-failed'; message: string }
  | { type: 'stuck-warning'; pattern: StuckPattern; detail: string }
  /** A response cut off at the output limit carried tool calls; none of them ran (their arguments may be cut). */
  | { type: 'truncated-tool-calls'; step: number; toolNames: string[] }
  | { type: 'agent-ended'; reason: AgentEndReason; totals: AgentTotals };

/**
 * Everything an agent reports as it runs, tagged by `type`; `at` is the injected clock's time. The
 * orchestrator stores these on the board, the CLI prints them. Text deltas are not events: they go to
 * the separate `onTextDelta` callback, because streamed fragments are never stored.
 */
export type AgentEvent = AgentEventInput & { at: number };

/** Receives every event of an agent, in order; the loop waits for it, so a slow sink slows the agent. */
export type AgentEventListener = (event: AgentEvent) => void | Promise<void>;
