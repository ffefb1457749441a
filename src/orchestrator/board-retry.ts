import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionLostError, OutcomeUnknownError, StaleFenceError, type TaskBoard } from '../board/index.ts';

/** True for board failures that a later try may not have: the server went away or a commit's fate is unknown. */
export function isTransientBoardError(error: unknown): boolean {
  return error instanceof ConnectionLostError || error instanceof OutcomeUnknownError;
}

/** Waits `milliseconds`, or less when the signal aborts; never throws. */
export async function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  await sleep(milliseconds, undefined, { signal }).catch(() => {});
}

/** Exponential backoff with jitter: 100 ms doubling to 5 s. */
export function nextBackoff(previousMs: number): number {
  const doubled = Math.min(5000, Math.max(100, previousMs * 2));
  return doubled / 2 + Math.random() * (doubled / 2);
}

/**
 * Runs a fenced write (complete, fail, release) until the board answers, riding out a lost
 * connection. When an earlier try's fate was unknown and a repeat reports the fence stale, the
 * task is re-read: if it reached `settled` at our fence, the earlier try took effect and this is
 * success; otherwise the lease really was lost and the StaleFenceError stands. The board already
 * retries a lost connection for a while; this adds patience for longer outages.
 */
export async function settleFenced(
  board: TaskBoard,
  request: { taskId: string; fence: number; settled: 'done' | 'open' | 'failed' | 'any' },
  write: () => Promise<unknown>,
  retryForMs = 60_000,
): Promise<void> {
  const started = Date.now();
  let unsure = false;
  let backoff = 0;
  for (;;) {
    try {
      await write();
      return;
    } catch (error) {
      if (error instanceof StaleFenceError && unsure) {
        const task = await board.getTask(request.taskId);
        const ours = task.fence === request.fence && task.status !== 'leased';
        if (ours && (request.settled === 'any' || task.status === request.settled)) return;
        throw error;
      }
      if (!isTransientBoardError(error) || Date.now() - started > retryForMs) throw error;
      if (error instanceof OutcomeUnknownError) unsure = true;
      backoff = nextBackoff(backoff);
      // no abort signal: a stopping process must still settle what it holds
      await sleep(backoff);
    }
  }
}
