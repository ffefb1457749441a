import { hostname } from 'node:os';
import type { TaskBoard } from '../board/index.ts';
import { type BoardEvent, createIdGenerator, type Placement } from '../protocol/index.ts';

/** The event that said which process ran an agent in runs logged before placement moved into `agent.registered`. */
export const agentPlacedEventType = 'agent.placed';

/** The placement an `agent.registered` (or an older `agent.placed`) event records, if any. */
export function placementOfEvent(event: BoardEvent): Placement | null {
  if (event.type === 'agent.placed') return event.payload;
  if (event.type === 'agent.registered') return event.payload.placement ?? null;
  return null;
}

/** Which kind of process, on which machine, runs an agent; recorded with every agent it starts. */
export interface AgentPlacement {
  /** `orchestrator`: the process driving the run (`cadre run`/`resume`); `worker`: a joined `cadre worker`. */
  process: 'orchestrator' | 'worker';
  /** Unique per process start, so two lives of one pid are told apart. */
  instance: string;
  host: string;
  pid: number;
}

/** The placement of agents started by this process. */
export function createAgentPlacement(process: AgentPlacement['process']): AgentPlacement {
  return {
    process,
    instance: createIdGenerator()('agent').replace(/^agent/, 'instance'),
    host: hostname(),
    pid: globalThis.process.pid,
  };
}

/**
 * The agents of a run that orchestrator processes other than `current` started, from the log.
 * Only one orchestrator drives a run at a time, so when a new one starts these are all orphans.
 */
export async function agentsOfFormerOrchestrators(
  board: TaskBoard,
  runId: string,
  current: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const agents = new Set<string>();
  let afterSeq = 0;
  for (;;) {
    const events = await board.readEvents(
      { runId, afterSeq, limit: 10_000, types: ['agent.registered', agentPlacedEventType] },
      { signal },
    );
    if (events.length === 0) return agents;
    for (const event of events) {
      afterSeq = event.seq;
      const placement = placementOfEvent(event);
      if (event.agentId && placement?.process === 'orchestrator' && placement.instance !== current) {
        agents.add(event.agentId);
      }
    }
  }
}
