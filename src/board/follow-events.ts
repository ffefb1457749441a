import type { BoardEvent } from '../protocol/index.ts';

/** Something that calls back when new events may exist; returns an unsubscribe function. */
export type ChangeSource = (listener: () => void) => () => void;

/** Options for following the event log. */
export interface FollowEventsOptions {
  read: (afterSeq: number) => Promise<BoardEvent[]>;
  changes: ChangeSource;
  afterSeq: number;
  signal: AbortSignal;
  /** A slow safety read in case a change notification is missed; not the wake-up path. */
  fallbackIntervalMs?: number;
}

/**
 * Follows the log: reads what is there, then sleeps until a change notification (a local commit,
 * a file-system notice or a PostgreSQL NOTIFY) or the slow fallback timer, never spinning on the disk.
 */
export async function* followEvents(options: FollowEventsOptions): AsyncGenerator<BoardEvent> {
  const { signal } = options;
  let afterSeq = options.afterSeq;
  let changed = true;
  let wake: (() => void) | null = null;
  const unsubscribe = options.changes(() => {
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      if (changed) {
        changed = false;
        for (;;) {
          const batch = await options.read(afterSeq);
          for (const event of batch) {
            if (signal.aborted) return;
            afterSeq = event.seq;
            yield event;
          }
          if (batch.length === 0) break;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          changed = true;
          resolve();
        }, options.fallbackIntervalMs ?? 2000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
