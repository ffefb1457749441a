import { type TaskBoard, VersionConflictError } from '../board/index.ts';
import type { RunStatus } from '../protocol/index.ts';

/**
 * Sets a run's status, re-reading on a version conflict (another process may have touched the run
 * row meanwhile). A no-op when the run already has it.
 */
export async function setRunStatus(board: TaskBoard, runId: string, status: RunStatus): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const run = await board.getRun(runId);
    if (run.status === status) return;
    try {
      await board.updateRun({ runId, version: run.version, patch: { status } });
      return;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
}
