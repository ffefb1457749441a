import type { TaskBoard } from '../board/index.ts';
import type { Agent, Task } from '../protocol/index.ts';
import type { AgentView, TaskView } from './api-types.ts';
import { createRunProjection, emptyLiveUsage, type RunProjection } from './run-projection.ts';

/** What every route of the dashboard works with. */
export interface DashboardContext {
  board: TaskBoard;
  /** The run's projection, caught up with the board; throws NotFoundError for an unknown run. */
  projection(runId: string, signal?: AbortSignal): Promise<RunProjection>;
  /** Aborted when the server shuts down; ends live streams. */
  signal: AbortSignal;
}

/** Creates the context; projections are made on first use and kept for the server's life. */
export function createDashboardContext(board: TaskBoard, signal: AbortSignal): DashboardContext {
  const projections = new Map<string, RunProjection>();
  return {
    board,
    signal,
    async projection(runId, requestSignal) {
      let projection = projections.get(runId);
      if (!projection) {
        await board.getRun(runId, { signal: requestSignal });
        projection = projections.get(runId) ?? createRunProjection(board, runId);
        projections.set(runId, projection);
      }
      await projection.catchUp(requestSignal);
      return projection;
    },
  };
}

/** An agent with what the projection knows of it. */
export function toAgentView(agent: Agent, projection: RunProjection): AgentView {
  const facts = projection.agentFacts(agent.id);
  return {
    ...agent,
    activity: facts?.activity ?? { type: 'idle' },
    eventCount: facts?.eventCount ?? 0,
    lastEventAt: facts?.lastEventAt ?? null,
    liveUsage: facts?.liveUsage ?? emptyLiveUsage(),
  };
}

/** A task with the commit that landed it. */
export function toTaskView(task: Task, projection: RunProjection): TaskView {
  return { ...task, landedCommit: projection.landedCommit(task.id) };
}
