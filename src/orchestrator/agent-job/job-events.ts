import type { CatalogEventInput } from '../../protocol/index.ts';
import {
  type ReadyReport,
  type WorkspaceSetupEvent,
  workspaceSetupEventType,
} from '../../workspace/index.ts';
import type { JobState } from './job-state.ts';

/** Stores one event of the agent without waiting; the job's closing waits for the write. */
export function recordEvent(state: JobState, event: CatalogEventInput): void {
  const { deps, job, pendingEvents } = state;
  const write = deps.board
    .appendEvent({ runId: job.task.runId, agentId: job.agentId, taskId: job.task.id, ...event })
    .catch((error: unknown) =>
      deps.log?.(`could not store ${event.type} of ${job.agentId}: ${(error as Error).message}`),
    );
  pendingEvents.add(write);
  void write.finally(() => pendingEvents.delete(write));
}

/** Records how the agent's worktree was made ready (`workspace.setup`), or why it could not be. */
export function recordSetup(
  state: JobState,
  phase: WorkspaceSetupEvent['phase'],
  worktreeName: string | null,
  readyMs: number,
  report: ReadyReport,
): void {
  const payload: WorkspaceSetupEvent = {
    agentId: state.job.agentId,
    taskId: state.job.task.id,
    worktree: worktreeName,
    phase,
    readyMs,
    report,
  };
  recordEvent(state, { type: workspaceSetupEventType, payload });
}

/** A settlement the board refused (the lease moved on) is said out loud: the agent's outcome is lost. */
export function reportUnsettled(state: JobState, message: string): void {
  const { deps, job, requested } = state;
  const asked = requested ? requested.type : 'nothing (the agent did not end)';
  recordEvent(state, {
    type: 'agent.settle-failed',
    payload: { fence: job.lease.fence, settlement: requested, message },
  });
  deps.log?.(
    `task ${job.task.id} of ${job.agentId} (${job.role}) was not settled — it asked to ${asked}, but the board refused: ${message}. The task stays with whoever holds it now; an expired lease is reopened by the reaper.`,
  );
}
