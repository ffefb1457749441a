import {
  type AgentEvent,
  type AgentResult,
  createToolCounters,
  type MemoryInbox,
  parseToolConfig,
} from '../../agent/index.ts';
import { SandboxConfig } from '../../sandbox/index.ts';
import { type EngineAgentOptions, runEngineAgent } from '../run-engine-agent.ts';

/** What an engine kit supplies to runEngineAgent: its engine, sandbox, connection and folders. */
export type EngineAgentKitParts = Pick<
  EngineAgentOptions,
  | 'adapter'
  | 'program'
  | 'sandbox'
  | 'network'
  | 'connection'
  | 'model'
  | 'settings'
  | 'worktreePath'
  | 'stateDirectory'
> & {
  /** The inbox the agent polls, which tests use to steer it. */
  inbox: MemoryInbox;
  /** Where every event of the agent is pushed, as it comes. */
  events: AgentEvent[];
  /** How long the whole agent may take before its signal aborts it. */
  timeoutMs: number;
};

/**
 * Runs the agent of an engine kit with the defaults both kits share (a briefing, no cadre tools, a
 * finish that is done, a 50 ms inbox poll) and `overrides` on top, recording every event, so the
 * scripted and the real engine's driver tests run the agent the same way.
 */
export function startEngineAgent(
  parts: EngineAgentKitParts,
  overrides: Partial<EngineAgentOptions> = {},
): Promise<AgentResult> {
  const { inbox, events, timeoutMs, ...given } = parts;
  const { onEvent, ...rest } = overrides;
  return runEngineAgent({
    ...given,
    sandboxConfig: SandboxConfig.parse({}),
    prompt: 'BRIEFING: do the task.',
    tools: [],
    toolContext: {
      worktreeRoot: given.worktreePath,
      counters: createToolCounters(),
      config: parseToolConfig(),
    },
    finish: async () => ({ type: 'done' }),
    pollInbox: inbox.poll,
    inboxPollIntervalMs: 50,
    signal: AbortSignal.timeout(timeoutMs),
    ...rest,
    onEvent: async (event) => {
      events.push(event);
      await onEvent?.(event);
    },
  });
}
