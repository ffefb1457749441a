import { StaleFenceError, type TaskBoard } from '../../board/index.ts';

/** The heartbeat of one agent's lease. */
export interface LeaseKeeper {
  /** True once the board refused a heartbeat: the lease moved on and the agent was stopped. */
  readonly lost: boolean;
  /** Ends the heartbeat. */
  stop(): void;
}

/**
 * Renews a lease every third of its time to live until stopped; when the board says the fence is
 * stale the lease is lost, and the agent is stopped through `controller`.
 */
export function keepLeaseAlive(
  board: TaskBoard,
  fenced: { taskId: string; fence: number },
  ttlMs: number,
  controller: AbortController,
): LeaseKeeper {
  let lost = false;
  let beating = false;
  const beat = () => {
    // one heartbeat at a time: while the board is unreachable the pending one keeps retrying
    if (beating) return;
    beating = true;
    board
      .heartbeat({ ...fenced, ttlMs })
      .catch((error: unknown) => {
        if (error instanceof StaleFenceError) {
          lost = true;
          controller.abort(new Error('the lease was lost'));
        }
      })
      .finally(() => {
        beating = false;
      });
  };
  const timer = setInterval(beat, Math.max(250, Math.floor(ttlMs / 3)));
  return {
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}
