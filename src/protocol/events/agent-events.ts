import { z } from 'zod';
import { AgentStatus } from '../run.ts';
import { eventOf, payload } from './define-event.ts';
import { Placement } from './run-events.ts';

/** Token counts of one model call (the llm module's ModelUsage). */
export const ModelUsage = z.object({
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
});

/** A tool call a model made; `input` is whatever JSON the model sent. */
export const ModelToolCall = z.object({
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  rawInput: z.string(),
  inputError: z.string().nullable(),
});

/** How one tool call ended (the agent module's ToolOutcome). */
export const ToolOutcome = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('success'),
    output: z.string(),
    details: z.unknown(),
    cutCharacters: z.number(),
  }),
  z.object({ type: z.literal('invalid-input'), output: z.string(), issues: z.array(z.string()) }),
  z.object({ type: z.literal('unknown-tool'), output: z.string(), toolName: z.string() }),
  z.object({ type: z.literal('tool-error'), output: z.string(), details: z.unknown() }),
  z.object({ type: z.literal('aborted'), output: z.string() }),
]);

/** Why an agent ended; exactly one per agent. `errorType` is a ModelErrorType of the llm module. */
export const AgentEndReason = z.discriminatedUnion('type', [
  z.object({ type: z.literal('completed'), text: z.string() }),
  z.object({
    type: z.literal('budget'),
    budget: z.enum(['steps', 'tokens', 'dollars', 'wall-time']),
    limit: z.number(),
    used: z.number(),
  }),
  z.object({
    type: z.literal('stuck'),
    pattern: z.enum(['repeated-tool-call', 'no-tool-calls']),
    detail: z.string(),
  }),
  z.object({ type: z.literal('stopped'), reason: z.string() }),
  z.object({ type: z.literal('model-error'), errorType: z.string(), message: z.string() }),
  z.object({ type: z.literal('fatal-tool-error'), toolName: z.string(), message: z.string() }),
  /** An external agent program (an engine) crashed, was refused by the sandbox or ended in an error. */
  z.object({ type: z.literal('engine-failed'), engine: z.string(), message: z.string() }),
]);
/** Why an agent ended. */
export type AgentEndReason = z.infer<typeof AgentEndReason>;

/** Running totals of an agent's model use. */
export const AgentTotals = z.object({
  steps: z.number(),
  usage: ModelUsage,
  costUsd: z.number(),
  unpricedCalls: z.number(),
});

const purpose = z.enum(['step', 'summary']);
const messageId = z.string().nullable();

/**
 * What the agent loop reports, keyed by its short type (the agent module's AgentEvent without `type`
 * and `at`); each is stored as `agent.<type>`.
 */
export const agentLoopPayloads = {
  'agent-started': payload({ modelId: z.string(), toolNames: z.array(z.string()), task: z.string() }),
  'model-call-started': payload({
    step: z.number(),
    purpose,
    requestTokens: z.number(),
    requestTokensExact: z.boolean(),
  }),
  'model-call-ended': payload({
    step: z.number(),
    purpose,
    modelId: z.string(),
    text: z.string(),
    toolCalls: z.array(ModelToolCall),
    /** A ModelFinishReason of the llm module. */
    finishReason: z.string(),
    usage: ModelUsage,
    costUsd: z.number().nullable(),
    latencyMs: z.number(),
  }),
  'model-call-failed': payload({ step: z.number(), purpose, errorType: z.string(), message: z.string() }),
  /** The orchestrator stores only the tool's name, the step and the input (no call id). */
  'tool-call-started': payload({
    step: z.number(),
    toolCallId: z.string().optional(),
    toolName: z.string(),
    input: z.unknown(),
  }),
  'tool-call-ended': payload({
    step: z.number(),
    toolCallId: z.string(),
    toolName: z.string(),
    outcome: ToolOutcome,
    durationMs: z.number(),
  }),
  compaction: payload({
    strategy: z.enum(['mask-tool-outputs', 'summarize']),
    tokensBefore: z.number(),
    tokensAfter: z.number(),
    messagesAffected: z.number(),
  }),
  'steer-received': payload({ messageId, text: z.string() }),
  'stop-received': payload({ messageId, reason: z.string() }),
  paused: payload({ messageId }),
  resumed: payload({ messageId, pausedMs: z.number() }),
  'inbox-poll-failed': payload({ message: z.string() }),
  'stuck-warning': payload({ pattern: z.enum(['repeated-tool-call', 'no-tool-calls']), detail: z.string() }),
  'truncated-tool-calls': payload({ step: z.number(), toolNames: z.array(z.string()) }),
  'agent-ended': payload({ reason: AgentEndReason, totals: AgentTotals }),
} as const;

/** The short types of the agent loop's events. */
export type AgentLoopEventType = keyof typeof agentLoopPayloads;

/** An agent loop event as the loop reports it: its short type, its fields, and perhaps `at`. */
export type AgentLoopEvent = {
  [Type in AgentLoopEventType]: { type: Type; at?: number } & z.input<(typeof agentLoopPayloads)[Type]>;
}[AgentLoopEventType];

/** The `agent.*` events: the board's own (registered, updated), the orchestrator's, and the loop's. */
export const agentEvents = [
  eventOf(
    'agent.registered',
    payload({
      role: z.string(),
      model: z.string(),
      parentId: z.string().nullable(),
      promptHash: z.string(),
      status: AgentStatus.optional(),
      placement: Placement.optional(),
    }),
  ),
  /** The agent's edited fields (status, task, model). */
  eventOf(
    'agent.updated',
    payload({
      status: AgentStatus.optional(),
      taskId: z.string().nullable().optional(),
      model: z.string().optional(),
    }),
  ),
  /** Legacy: which process ran an agent, before placement moved into `agent.registered`. */
  eventOf('agent.placed', Placement),
  /** The board refused an agent's settlement (its lease moved on): its outcome is lost. */
  eventOf(
    'agent.settle-failed',
    payload({ fence: z.number(), settlement: z.unknown(), message: z.string() }),
  ),
  eventOf('agent.agent-started', agentLoopPayloads['agent-started']),
  eventOf('agent.model-call-started', agentLoopPayloads['model-call-started']),
  eventOf('agent.model-call-ended', agentLoopPayloads['model-call-ended']),
  eventOf('agent.model-call-failed', agentLoopPayloads['model-call-failed']),
  eventOf('agent.tool-call-started', agentLoopPayloads['tool-call-started']),
  eventOf('agent.tool-call-ended', agentLoopPayloads['tool-call-ended']),
  eventOf('agent.compaction', agentLoopPayloads.compaction),
  eventOf('agent.steer-received', agentLoopPayloads['steer-received']),
  eventOf('agent.stop-received', agentLoopPayloads['stop-received']),
  eventOf('agent.paused', agentLoopPayloads.paused),
  eventOf('agent.resumed', agentLoopPayloads.resumed),
  eventOf('agent.inbox-poll-failed', agentLoopPayloads['inbox-poll-failed']),
  eventOf('agent.stuck-warning', agentLoopPayloads['stuck-warning']),
  eventOf('agent.truncated-tool-calls', agentLoopPayloads['truncated-tool-calls']),
  eventOf('agent.agent-ended', agentLoopPayloads['agent-ended']),
] as const;
