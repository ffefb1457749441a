import type { AgentEventInput, AgentTotals } from '../agent/index.ts';
import type { ModelUsage } from '../llm/index.ts';
import type { EngineEvent } from './engine-adapter.ts';

/** What turning an engine's events into agent events keeps: the totals, and when the last turn ended. */
export interface EngineEventTally {
  totals: AgentTotals;
  lastTurnEndedAt: number;
}

/** Options of agentEventsOf. */
export interface EngineEventMapping {
  costOf: (modelId: string, usage: ModelUsage) => number | null;
  /** The model the engine was told to use, for turns whose stream does not name one. */
  modelId: string;
  now: number;
}

/** Fresh totals of an agent that has made no call yet. */
export function emptyTotals(): AgentTotals {
  return {
    steps: 0,
    usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    costUsd: 0,
    unpricedCalls: 0,
  };
}

/**
 * The agent events one engine event stands for, counting its turns and tokens into the tally: every
 * model turn is a step of the agent with its usage priced by cadre's own price list (the engine's
 * own dollar figure is not trusted: it prices by its own list), every tool call and its result are
 * the agent's tool calls. Sessions, finals and notices are the driver's business: none here.
 */
export function agentEventsOf(
  event: EngineEvent,
  tally: EngineEventTally,
  mapping: EngineEventMapping,
): AgentEventInput[] {
  switch (event.type) {
    case 'model-turn': {
      const { totals } = tally;
      totals.steps += 1;
      addUsage(totals.usage, event.usage);
      const cost = mapping.costOf(event.modelId || mapping.modelId, event.usage);
      if (cost === null) totals.unpricedCalls += 1;
      else totals.costUsd += cost;
      const latencyMs = Math.max(0, mapping.now - tally.lastTurnEndedAt);
      tally.lastTurnEndedAt = mapping.now;
      return [
        {
          type: 'model-call-ended',
          step: totals.steps,
          purpose: 'step',
          modelId: event.modelId || mapping.modelId,
          text: event.text,
          toolCalls: event.toolCalls.map((call) => ({
            id: call.id,
            name: call.name,
            input: call.input,
            rawInput: JSON.stringify(call.input ?? null),
            inputError: null,
          })),
          finishReason: event.toolCalls.length > 0 ? 'tool-calls' : 'stop',
          usage: event.usage,
          costUsd: cost,
          latencyMs,
        },
      ];
    }
    case 'tool-started':
      return [
        {
          type: 'tool-call-started',
          step: tally.totals.steps,
          toolCallId: event.id,
          toolName: event.name,
          input: event.input,
        },
      ];
    case 'tool-ended':
      return [
        {
          type: 'tool-call-ended',
          step: tally.totals.steps,
          toolCallId: event.id,
          toolName: event.name,
          outcome: event.isError
            ? { type: 'tool-error', output: event.output, details: null }
            : { type: 'success', output: event.output, details: null, cutCharacters: 0 },
          // the engine's stream does not time its tools; its busy time is the process's wall time
          durationMs: 0,
        },
      ];
    case 'session':
    case 'final':
    case 'notice':
      return [];
  }
}

function addUsage(into: ModelUsage, usage: ModelUsage): void {
  into.inputTokens += usage.inputTokens;
  into.cachedInputTokens += usage.cachedInputTokens;
  into.cacheWriteTokens += usage.cacheWriteTokens;
  into.outputTokens += usage.outputTokens;
  into.reasoningTokens += usage.reasoningTokens;
}
