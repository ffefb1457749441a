import { type AgentEvent, type AgentResult, runAgentLoop, waitingToolNames } from '../../agent/index.ts';
import { agentLoopCatalogEvent } from '../../protocol/index.ts';
import type { RoleSession } from '../../roles/index.ts';
import type { Worktree } from '../../workspace/index.ts';
import { agentContextSettings } from '../agent-context.ts';
import { jobInbox, jobToolContext } from './job-agent-context.ts';
import { recordEvent } from './job-events.ts';
import type { JobState } from './job-state.ts';
import { refreshBeforeCommands } from './job-worktree.ts';
import { runEngineJob } from './run-engine-job.ts';

/** Runs the agent loop of the role's session in its worktree, recording its events as they come. */
export async function runJobLoop(
  state: JobState,
  worktree: Worktree,
  session: RoleSession,
): Promise<AgentResult> {
  const { deps, job } = state;
  const onEvent = createEventRecorder(state, session);
  const route = state.engine;
  if (!route) return runNativeLoop(state, worktree, session, onEvent);
  const result = await runEngineJob(state, worktree, session, route, onEvent);
  // the chain's models are the engine's fallback: cadre's loop goes on in the same worktree and session
  if (result.reason.type !== 'engine-failed' || !deps.models.servesRole?.(job.role)) return result;
  deps.log?.(
    `${job.agentId}: engine ${route.ref.engine} failed (${result.reason.message.split('\n')[0]}); falling back to ${deps.models.describe(job.role)}`,
  );
  return runNativeLoop(state, worktree, session, onEvent);
}

/** cadre's own agent loop on the role's session. */
function runNativeLoop(
  state: JobState,
  worktree: Worktree,
  session: RoleSession,
  onEvent: (event: AgentEvent) => void,
): Promise<AgentResult> {
  const { deps, job } = state;
  const { config } = deps;
  return runAgentLoop({
    model: deps.models.modelFor(job.role),
    tools: session.tools,
    toolContext: { ...jobToolContext(state, worktree), ...refreshBeforeCommands(state, worktree) },
    system: session.system,
    task: session.briefing,
    budget: config.budgets[job.role],
    context: agentContextSettings(config.contextWindowTokens, deps.models.limitsFor?.(job.role) ?? null),
    tokenCounter: deps.tokenCounter,
    costOf: deps.models.costOf,
    isTaskFinished: () => session.isFinished(),
    isFinishedByTools: () => session.isFinished(),
    pollInbox: jobInbox(state),
    ...(deps.inboxPollIntervalMs ? { inboxPollIntervalMs: deps.inboxPollIntervalMs } : {}),
    clock: deps.clock,
    signal: state.controller.signal,
    onEvent,
  });
}

/** The loop's listener: counts busy time, cost and model answers for the fleet, and stores the event. */
function createEventRecorder(state: JobState, session: RoleSession): (event: AgentEvent) => void {
  const { job } = state;
  const waitingTools = new Set(waitingToolNames(session.tools));
  const busyStarts = new Map<string, number>();
  const count = (event: AgentEvent) => {
    switch (event.type) {
      case 'model-call-started':
        busyStarts.set(`model-${event.step}-${event.purpose}`, event.at);
        break;
      case 'model-call-ended': {
        const started = busyStarts.get(`model-${event.step}-${event.purpose}`);
        if (started !== undefined) job.onBusy?.(event.at - started);
        if (event.costUsd) job.onCost?.(event.costUsd);
        job.onModelCall?.({ type: 'answered' });
        break;
      }
      case 'model-call-failed':
        job.onModelCall?.({ type: 'failed', message: `${event.errorType}: ${event.message}` });
        break;
      case 'tool-call-ended':
        // time spent waiting for the board to change is idle, not work
        if (!waitingTools.has(event.toolName)) job.onBusy?.(event.durationMs);
        break;
      default:
        break;
    }
  };
  return (event) => {
    count(event);
    storeLoopEvent(state, event);
  };
}

/** Stores one loop event; streamed-call starts are noise in the log, their end carries everything. */
function storeLoopEvent(state: JobState, event: AgentEvent): void {
  if (event.type !== 'model-call-started' && event.type !== 'tool-call-started') {
    recordEvent(state, agentLoopCatalogEvent(event));
  } else if (event.type === 'tool-call-started') {
    recordEvent(state, {
      type: 'agent.tool-call-started',
      payload: { toolName: event.toolName, step: event.step, input: event.input },
    });
  }
}
