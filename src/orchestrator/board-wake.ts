import type { TaskBoard } from '../board/index.ts';
import { nextBackoff, pause } from './board-retry.ts';

/** Options of wakeOnBoardChanges. */
export interface BoardWakeOptions {
  board: TaskBoard;
  /** Follow one run's events; absent: every run's. */
  runId?: string;
  /** Start after this event (an event this process just appended), not at the start of the log. */
  afterSeq: number;
  /** Called on events that may mean there is something to claim or a cycle ended. */
  wake: (eventType: string) => void;
  signal: AbortSignal;
}

const wakingPrefixes = ['task.', 'run.', 'cycle.'];

/**
 * Follows the board's events (LISTEN/NOTIFY on PostgreSQL) and wakes idle slots when tasks, cycles
 * or runs change in another process, so a joined worker starts on work the moment it is filed and
 * the run's process sees a cycle drain without polling. Survives a lost connection by following
 * again from the last event seen.
 */
export async function wakeOnBoardChanges(options: BoardWakeOptions): Promise<void> {
  const { board, signal } = options;
  let afterSeq = options.afterSeq;
  let backoff = 0;
  while (!signal.aborted) {
    try {
      for await (const event of board.followEvents({ runId: options.runId, afterSeq, signal })) {
        afterSeq = event.seq;
        backoff = 0;
        if (wakingPrefixes.some((prefix) => event.type.startsWith(prefix))) options.wake(event.type);
      }
    } catch {
      // the board is unreachable; wake everyone (they back off on their own) and follow again later
      options.wake('board.unreachable');
    }
    if (signal.aborted) return;
    backoff = nextBackoff(backoff);
    await pause(backoff, signal);
  }
}
