import type { TaskBoard } from '../board/index.ts';
import type { BoardEvent, EventPayload } from '../protocol/index.ts';
import type { AgentActivity, LandingView, LiveUsage, UsagePoint } from './api-types.ts';
import { createEventIndex, type EventIndex } from './event-index.ts';

/** What the projection knows about one agent from its events. */
export interface AgentFacts {
  activity: AgentActivity;
  eventCount: number;
  lastEventAt: number;
  /** Summed from its model calls as they end (the board's usage column is written when it ends). */
  liveUsage: LiveUsage;
}

/**
 * The dashboard's view of one run, folded from its event log: an index for filtered event pages,
 * each agent's current activity, landings, and tokens and dollars over time. It catches up with the
 * board on demand (before each request) instead of following in the background, so it holds no
 * timers or streams and a server with no visitors does no work.
 */
export interface RunProjection {
  readonly runId: string;
  readonly index: EventIndex;
  /** Reads the events appended since the last catch-up. */
  catchUp(signal?: AbortSignal): Promise<void>;
  agentFacts(agentId: string): AgentFacts | undefined;
  readonly landings: readonly LandingView[];
  /** The commit that landed a task, if it landed. */
  landedCommit(taskId: string): string | null;
  /** The whole run's model use so far, summed from its model calls. */
  liveUsage(): LiveUsage;
  /** Cumulative tokens and dollars at the end of each minute that had model calls. */
  timeline(): UsagePoint[];
  /** Reads the events at the given positions of the run's log, oldest first. */
  readPositions(positions: readonly number[], signal?: AbortSignal): Promise<BoardEvent[]>;
}

const minuteMs = 60_000;
const readChunk = 5000;

type ModelCallPayload = EventPayload<'agent.model-call-ended'>;

/** The zero of LiveUsage. */
export function emptyLiveUsage(): LiveUsage {
  return { steps: 0, modelCalls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0 };
}

function addModelCall(usage: LiveUsage, call: ModelCallPayload) {
  usage.modelCalls++;
  if (call.purpose !== 'summary') usage.steps++;
  usage.inputTokens += call.usage.inputTokens;
  usage.cachedInputTokens += call.usage.cachedInputTokens;
  usage.outputTokens += call.usage.outputTokens;
  usage.costUsd += call.costUsd ?? 0;
}

/** Creates the projection of a run; nothing is read until the first catch-up. */
export function createRunProjection(board: TaskBoard, runId: string): RunProjection {
  const index = createEventIndex();
  const agents = new Map<string, AgentFacts>();
  const landings: LandingView[] = [];
  const landedByTask = new Map<string, string>();
  const minutes = new Map<number, { tokens: number; costUsd: number }>();
  const runUsage = emptyLiveUsage();
  let pending: Promise<void> = Promise.resolve();

  const apply = (event: BoardEvent) => {
    // indexed by the type as stored, so a type filter finds an unreadable event as the board's reads do
    index.add(event.type === 'unknown' ? { ...event, type: event.storedType } : event);
    if (event.agentId) applyAgentEvent(agents, event.agentId, event);
    if (event.type === 'landing.landed' && event.taskId) {
      const { commit } = event.payload;
      landings.push({ taskId: event.taskId, agentId: event.agentId, commit, at: event.at });
      landedByTask.set(event.taskId, commit);
    }
    if (event.type === 'agent.model-call-ended') {
      const call = event.payload;
      addModelCall(runUsage, call);
      const facts = event.agentId ? agents.get(event.agentId) : undefined;
      if (facts) addModelCall(facts.liveUsage, call);
      const minute = Math.floor(event.at / minuteMs) * minuteMs;
      const bucket = minutes.get(minute) ?? { tokens: 0, costUsd: 0 };
      bucket.tokens += call.usage.inputTokens + call.usage.outputTokens;
      bucket.costUsd += call.costUsd ?? 0;
      minutes.set(minute, bucket);
    }
  };

  const readNew = async (signal?: AbortSignal) => {
    for (;;) {
      const page = await board.readEvents({ runId, afterSeq: index.lastSeq, limit: readChunk }, { signal });
      for (const event of page) apply(event);
      if (page.length < readChunk) return;
    }
  };

  return {
    runId,
    index,
    catchUp(signal) {
      // one catch-up at a time, so events are applied once and in order
      const next = pending.then(() => readNew(signal));
      pending = next.catch(() => undefined);
      return next;
    },
    agentFacts: (agentId) => agents.get(agentId),
    liveUsage: () => ({ ...runUsage }),
    landings,
    landedCommit: (taskId) => landedByTask.get(taskId) ?? null,
    timeline() {
      let tokens = 0;
      let costUsd = 0;
      return [...minutes.entries()]
        .sort(([left], [right]) => left - right)
        .map(([at, bucket]) => {
          tokens += bucket.tokens;
          costUsd += bucket.costUsd;
          return { at: at + minuteMs, tokens, costUsd };
        });
    },
    async readPositions(positions, signal) {
      // consecutive positions are one range read of the run's log
      const events: BoardEvent[] = [];
      let start = 0;
      while (start < positions.length) {
        let end = start;
        while (end + 1 < positions.length && positions[end + 1] === (positions[end] as number) + 1) end++;
        const first = positions[start] as number;
        const afterSeq = first === 0 ? 0 : index.seqAt(first - 1);
        events.push(...(await board.readEvents({ runId, afterSeq, limit: end - start + 1 }, { signal })));
        start = end + 1;
      }
      return events;
    },
  };
}

function applyAgentEvent(agents: Map<string, AgentFacts>, agentId: string, event: BoardEvent) {
  const facts = agents.get(agentId) ?? {
    activity: { type: 'idle' },
    eventCount: 0,
    lastEventAt: event.at,
    liveUsage: emptyLiveUsage(),
  };
  facts.eventCount++;
  facts.lastEventAt = event.at;
  switch (event.type) {
    case 'agent.model-call-started':
      facts.activity = { type: 'thinking', since: event.at };
      break;
    case 'agent.tool-call-started':
      facts.activity = { type: 'tool', toolName: event.payload.toolName, since: event.at };
      break;
    case 'agent.tool-call-ended':
    case 'agent.model-call-ended':
    case 'agent.resumed':
      facts.activity = { type: 'idle' };
      break;
    case 'agent.paused':
      facts.activity = { type: 'paused', since: event.at };
      break;
    case 'agent.agent-ended':
      facts.activity = { type: 'ended', reason: event.payload.reason.type };
      break;
  }
  agents.set(agentId, facts);
}
