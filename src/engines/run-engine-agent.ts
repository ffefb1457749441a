import type {
  AgentBudget,
  AgentEndReason,
  AgentEventInput,
  AgentEventListener,
  AgentResult,
  PollInbox,
  Tool,
  ToolContext,
  ToolOutcome,
} from '../agent/index.ts';
import { FatalToolError, runToolCall } from '../agent/index.ts';
import type { ModelUsage } from '../llm/index.ts';
import type { Clock, EngineSettings } from '../protocol/index.ts';
import type { Sandbox, SandboxConfig, SandboxNetwork } from '../sandbox/index.ts';
import type { EngineAdapter, EngineConnection } from './engine-adapter.ts';
import { agentEventsOf, type EngineEventTally, emptyTotals } from './engine-agent-events.ts';
import { createEngineControl, type EngineControl } from './engine-control.ts';
import type { EngineProgram } from './find-engine-program.ts';
import { type EngineProcessEnd, runEngineProcess } from './run-engine-process.ts';

/** Runs one of the agent's own tools (a worker's `land`, `handoff`) for the engine, recorded like a native call. */
export type CallTool = (name: string, input: unknown) => Promise<ToolOutcome>;

/** What the role makes of the program's final answer: the task is settled, or the session goes on with a message. */
export type EngineFinish = { type: 'done' } | { type: 'resume'; message: string };

/** Options of runEngineAgent. */
export interface EngineAgentOptions {
  adapter: EngineAdapter;
  program: EngineProgram;
  sandbox: Sandbox;
  sandboxConfig: SandboxConfig;
  network: SandboxNetwork;
  connection: EngineConnection;
  /** The model the program is told to use, null for its default. */
  model: string | null;
  settings: EngineSettings;
  worktreePath: string;
  /** Kept for the agent's life, outside the worktree: the program's sessions live here. */
  stateDirectory: string;
  /** The first message: the role's instructions, the briefing and the engine's rules. */
  prompt: string;
  /** The role's tools that `finish` may call; the engine never sees them. */
  tools: readonly Tool[];
  toolContext: Omit<ToolContext, 'signal'>;
  /** Called with the program's final answer: lands the work, hands off, or says what to tell it next. */
  finish: (finalText: string, callTool: CallTool, signal: AbortSignal) => Promise<EngineFinish>;
  budget?: AgentBudget;
  costOf?: (modelId: string, usage: ModelUsage) => number | null;
  pollInbox?: PollInbox;
  inboxPollIntervalMs?: number;
  clock?: Clock;
  onEvent?: AgentEventListener;
  signal: AbortSignal;
}

/** What the driver keeps between runs of the program. */
interface EngineAgentState {
  options: EngineAgentOptions;
  control: EngineControl;
  tally: EngineEventTally;
  emit: (event: AgentEventInput) => Promise<void>;
  sessionId: string | null;
  /** The role's tool `finish` called last, named when it fails fatally. */
  lastToolName: string | null;
  modelId: string;
  clock: Clock;
}

/**
 * Runs an external agent program as a cadre agent: the briefing goes to a new session, the program
 * works in the worktree inside the sandbox, its turns and tool calls become the agent's events, and
 * its final answer goes to `finish` (a worker lands it). A conflict report, a failed landing, a
 * steer or a pause lifted resume the same session with a message; a stop or a spent budget ends it
 * within one inbox poll. Resolves with the end reason like the native loop; rejects only on bugs.
 */
export async function runEngineAgent(options: EngineAgentOptions): Promise<AgentResult> {
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const tally: EngineEventTally = { totals: emptyTotals(), lastTurnEndedAt: startedAt };
  const emit = async (event: AgentEventInput) => {
    await options.onEvent?.({ ...event, at: clock() });
  };
  const modelId = `engine:${options.adapter.name}/${options.model ?? 'default'}`;
  await emit({ type: 'agent-started', modelId, toolNames: [], task: options.prompt });
  const control = createEngineControl({
    pollInbox: options.pollInbox,
    pollIntervalMs: options.inboxPollIntervalMs ?? 250,
    budget: options.budget ?? {},
    totals: tally.totals,
    clock,
    startedAt,
    emit,
    signal: options.signal,
  });
  const state: EngineAgentState = {
    options,
    control,
    tally,
    emit,
    sessionId: null,
    lastToolName: null,
    modelId,
    clock,
  };
  let reason: AgentEndReason;
  try {
    reason = await drive(state);
  } catch (error) {
    if (!(error instanceof FatalToolError)) throw error;
    reason = { type: 'fatal-tool-error', toolName: state.lastToolName ?? 'unknown', message: error.message };
  } finally {
    control.close();
  }
  await emit({ type: 'agent-ended', reason, totals: tally.totals });
  return { reason, totals: tally.totals, counters: options.toolContext.counters, messages: [] };
}

/** Runs the program until the role is done or something ends the agent. */
async function drive(state: EngineAgentState): Promise<AgentEndReason> {
  const { options, control } = state;
  // what the next run must tell the program besides any steering: null for the briefing alone
  let message: string | null = null;
  let resumes = 0;
  let startedAfresh = false;
  for (;;) {
    const ending = endingReason(state);
    if (ending) return ending;
    await control.waitWhilePaused();
    if (endingReason(state)) continue;
    // steers are taken as the run starts, so one that came during a pause or a landing is not lost
    const text = newText(message, control.takeSteers());
    const resumed = state.sessionId !== null;
    const stepsBefore = state.tally.totals.steps;
    const end = await runOnce(state, promptFor(state, text));
    if (control.pending() !== null || options.signal.aborted) {
      control.clear();
      forgetLostSession(state);
      message = null;
      continue;
    }
    if (end.type === 'refused') return failed(state, `the sandbox refused to run it: ${end.reason}`);
    if (end.final === null)
      return failed(state, `it ended without an answer (${describeEnd(end)})\n${end.outputTail}`);
    // a resume the program refused before any model call (its session was not saved whole): once, a
    // new session gets the briefing again with what this run was to say
    if (end.final.isError && resumed && state.tally.totals.steps === stepsBefore && !startedAfresh) {
      startedAfresh = true;
      state.sessionId = null;
      message = text || null;
      continue;
    }
    if (end.final.isError)
      return failed(
        state,
        `it ended in an error${end.final.detail ? ` (${end.final.detail})` : ''}: ${end.final.text}`,
      );
    const outcome = await options.finish(end.final.text, callTool(state), options.signal);
    if (outcome.type === 'done') return { type: 'completed', text: end.final.text };
    if (++resumes > options.settings.maxResumes)
      return failed(
        state,
        `its work did not land after ${options.settings.maxResumes} resumes: ${outcome.message.slice(0, 500)}`,
      );
    message = outcome.message;
  }
}

/**
 * A run killed before the program wrote its session to disk cannot be resumed (Claude Code names the
 * session a moment before it saves it): the next run starts a new session with the briefing again.
 */
function forgetLostSession(state: EngineAgentState): void {
  const { sessionId, options } = state;
  if (sessionId !== null && !options.adapter.sessionExists(options.stateDirectory, sessionId))
    state.sessionId = null;
}

function endingReason(state: EngineAgentState): AgentEndReason | null {
  const ending = state.control.final();
  if (ending?.type === 'budget') return ending;
  if (ending?.type === 'stop') return { type: 'stopped', reason: ending.reason };
  if (state.options.signal.aborted)
    return { type: 'stopped', reason: reasonText(state.options.signal.reason) };
  return null;
}

/** One run of the program, its events handed on as agent events as they come. */
async function runOnce(state: EngineAgentState, prompt: string): Promise<EngineProcessEnd> {
  const { options, control, tally } = state;
  const mapping = { costOf: options.costOf ?? (() => null), modelId: state.modelId, now: 0 };
  let events = Promise.resolve();
  const end = await runEngineProcess({
    adapter: options.adapter,
    sandbox: options.sandbox,
    sandboxConfig: options.sandboxConfig,
    network: options.network,
    programPaths: options.program.mountPaths,
    request: {
      programPath: options.program.path,
      prompt,
      sessionId: state.sessionId,
      model: options.model,
      worktreePath: options.worktreePath,
      stateDirectory: options.stateDirectory,
      connection: options.connection,
      maxTurns: options.settings.maxTurns,
      maxBudgetUsd: remainingDollars(options.budget?.maxDollars, tally.totals.costUsd),
    },
    timeoutMs: options.settings.timeoutMs,
    signal: control.startRun(),
    onEvent(event) {
      if (event.type === 'session') state.sessionId = event.sessionId;
      mapping.now = state.clock();
      // turns are recorded and priced under the provider's model id, as cadre's own calls are
      const qualified =
        event.type === 'model-turn'
          ? {
              ...event,
              modelId: `${options.adapter.provider}:${event.modelId || options.model || 'default'}`,
            }
          : event;
      const mapped = agentEventsOf(qualified, tally, mapping);
      // events are stored in order; the stream is never held up waiting for the board
      events = events.then(async () => {
        for (const agentEvent of mapped) await state.emit(agentEvent);
      });
      // a turn without tool calls is the run's last: its answer is let through, as the native loop does
      if (event.type === 'model-turn' && event.toolCalls.length > 0) control.checkBudget();
    },
  });
  await events;
  return end;
}

/**
 * The prompt of the next run: the briefing for a new session (with whatever must be said after it),
 * else only the message and the steering; an interrupted session with nothing new is told to carry on.
 */
function promptFor(state: EngineAgentState, text: string): string {
  if (state.sessionId === null) return text ? `${state.options.prompt}\n\n${text}` : state.options.prompt;
  return text || 'You were interrupted. Carry on with your task where you left off.';
}

/** What the next run must say besides the briefing: the message and any steering, '' for nothing. */
function newText(message: string | null, steers: string[]): string {
  return [message ?? '', steeringMessage(steers)].filter(Boolean).join('\n\n');
}

function steeringMessage(steers: string[]): string {
  if (steers.length === 0) return '';
  return `A person steering this run says:\n\n${steers.join('\n\n')}\n\nTake it into account and carry on with your task.`;
}

function callTool(state: EngineAgentState): CallTool {
  let calls = 0;
  return async (name, input) => {
    const { options } = state;
    const id = `cadre-${name}-${++calls}`;
    state.lastToolName = name;
    const step = state.tally.totals.steps;
    await state.emit({ type: 'tool-call-started', step, toolCallId: id, toolName: name, input });
    const started = state.clock();
    const outcome = await runToolCall(
      options.tools,
      { id, name, input },
      { ...options.toolContext, signal: options.signal },
    );
    await state.emit({
      type: 'tool-call-ended',
      step,
      toolCallId: id,
      toolName: name,
      outcome,
      durationMs: state.clock() - started,
    });
    return outcome;
  };
}

function failed(state: EngineAgentState, message: string): AgentEndReason {
  return { type: 'engine-failed', engine: state.options.adapter.name, message: message.slice(0, 8000) };
}

function describeEnd(end: Extract<EngineProcessEnd, { type: 'ran' }>): string {
  switch (end.end.type) {
    case 'exited':
      return `exit code ${end.end.exitCode}`;
    case 'signaled':
      return `killed by ${end.end.signal}`;
    case 'timed-out':
      return `no end after ${end.end.timeoutMilliseconds} ms`;
    case 'aborted':
      return 'aborted';
    case 'spawn-failed':
      return `could not start: ${end.end.message}`;
  }
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'stopped');
}

/** What is left of a dollar budget for the next run (never below a cent, so the program starts). */
function remainingDollars(limit: number | undefined, spent: number): number | null {
  return limit === undefined ? null : Math.max(0.01, limit - spent);
}
