import type { TaskBoard } from '../../board/index.ts';
import { AgentId, catalogEvent } from '../../protocol/index.ts';
import type { LandingEvent } from './land-outcome.ts';

/** Options of createBoardLandingEventSink. */
export interface LandingEventSinkOptions {
  board: Pick<TaskBoard, 'appendEvent'>;
  /** Called when appending fails; the landing itself goes on. Default: ignore. */
  onError?: (error: unknown) => void;
}

/**
 * An `onEvent` for createLander that appends each landing event to the board's log, typed as
 * `landing.attempt`, `landing.retry`, `landing.conflict`, `landing.landed` or `landing.not-landed`.
 * Appends are fire-and-forget: a slow or failing log must not hold a push back.
 */
export function createBoardLandingEventSink(options: LandingEventSinkOptions): (event: LandingEvent) => void {
  return (event) => {
    const { type, runId, taskId, agentId, ...payload } = event;
    options.board
      .appendEvent({
        runId,
        taskId,
        // lease owners that are not agent ids (benchmarks, scripts) stay in the payload only
        agentId: AgentId.safeParse(agentId).success ? agentId : null,
        ...catalogEvent(type, { ...payload, agent: agentId }),
      })
      .catch((error: unknown) => options.onError?.(error));
  };
}
