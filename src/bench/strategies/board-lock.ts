import { StaleFenceError, type TaskBoard } from '../../board/index.ts';

/** The scope of the lock row; its scope root is what acquire_lock's claim filters on. */
export const lockScope = 'coordination/lock/**';
const lockScopeRoot = 'coordination/lock/';

/** A granted lock: the fence to present on release, and how long the caller waited for it. */
export interface LockGrant {
  fence: number;
  waitedMs: number;
}

/** The flat peers' lock: a lease on one board row, with a TTL. */
export interface BoardLock {
  readonly taskId: string;
  /** Waits until the caller holds the lock. Not reentrant: a holder that calls it again waits for its own TTL. */
  acquire(owner: string, signal: AbortSignal): Promise<LockGrant>;
  /** Gives the lock back; false when the fence is stale (the TTL expired and someone broke the lock). */
  release(fence: number, signal: AbortSignal): Promise<boolean>;
  /** Whether `owner` still holds the lock under `fence`. */
  holds(owner: string, fence: number, signal: AbortSignal): Promise<boolean>;
}

/** Options of createBoardLock. */
export interface BoardLockOptions {
  board: TaskBoard;
  runId: string;
  ttlMs: number;
  signal: AbortSignal;
  clock?: () => number;
}

/**
 * Files the lock row and returns the lock. Acquiring is a board claim on that row (lease, TTL, fence
 * + 1, a `task.claimed` event); releasing is a board release (`task.released`). A waiter that finds
 * the lease past its TTL breaks it with a release under the holder's fence and logs
 * `coordination.lock-expired`. Waiters in this process sleep until a release or the TTL instead of
 * polling the board: correctness is the board's, the wake-ups only save claims that would fail.
 */
export async function createBoardLock(options: BoardLockOptions): Promise<BoardLock> {
  const { board, runId, ttlMs } = options;
  const clock = options.clock ?? Date.now;
  const [row] = await board.createTasks(
    [{ runId, kind: 'work', title: 'the flat peers’ lock', scope: [lockScope] }],
    { signal: options.signal },
  );
  if (!row) throw new Error('the board created no lock row');
  const taskId = row.id;
  const waiters: Array<() => void> = [];
  // counts releases so a waiter that looked at the row just before a release does not sleep through it
  let releases = 0;

  function wakeOne() {
    releases++;
    waiters.shift()?.();
  }

  function wait(milliseconds: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        const index = waiters.indexOf(done);
        if (index !== -1) waiters.splice(index, 1);
        resolve();
      };
      const timer = setTimeout(done, milliseconds);
      signal.addEventListener('abort', done, { once: true });
      waiters.push(done);
    });
  }

  async function breakIfExpired(signal: AbortSignal): Promise<number | null> {
    const task = await board.getTask(taskId, { signal });
    if (task.status !== 'leased') return 0;
    const expiresAt = task.leaseExpiresAt ?? 0;
    if (expiresAt > clock()) return expiresAt;
    try {
      await board.release({ taskId, fence: task.fence }, { signal });
      await board.appendEvent(
        {
          runId,
          taskId,
          type: 'coordination.lock-expired',
          payload: { owner: task.leaseOwner, fence: task.fence },
        },
        { signal },
      );
    } catch (error) {
      // another waiter broke it first, or the holder released it just now
      if (!(error instanceof StaleFenceError)) throw error;
    }
    return null;
  }

  return {
    taskId,
    async acquire(owner, signal) {
      const started = clock();
      for (;;) {
        signal.throwIfAborted();
        const releasesBefore = releases;
        const lease = await board.claim(
          { owner, ttlMs, filter: { runId, kinds: ['work'], scopes: [lockScopeRoot] } },
          { signal },
        );
        if (lease) return { fence: lease.fence, waitedMs: clock() - started };
        const expiresAt = await breakIfExpired(signal);
        if (expiresAt === null || expiresAt === 0 || releases !== releasesBefore) continue;
        await wait(Math.max(1, expiresAt - clock() + 1), signal);
      }
    },
    async release(fence, signal) {
      try {
        await board.release({ taskId, fence }, { signal });
        return true;
      } catch (error) {
        if (error instanceof StaleFenceError) return false;
        throw error;
      } finally {
        wakeOne();
      }
    },
    async holds(owner, fence, signal) {
      const task = await board.getTask(taskId, { signal });
      return task.status === 'leased' && task.leaseOwner === owner && task.fence === fence;
    },
  };
}
