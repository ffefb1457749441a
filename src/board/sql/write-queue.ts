import { BoardClosedError } from '../errors.ts';
import type { SqlRunner } from './executor.ts';

/** A write waiting for the next group commit. */
export interface PendingWrite {
  work: (runner: SqlRunner) => Promise<unknown>;
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How one operation of a batch ended. */
export type Outcome = { type: 'value'; value: unknown } | { type: 'error'; error: unknown };

/** Options for a write queue. */
export interface WriteQueueOptions {
  /** Most writes handed to one flush (default 512). */
  maxBatch?: number | undefined;
  /**
   * Runs one batch the backend's way and settles every write of it; resolves to whether the
   * commit listeners should hear of it. Throwing is a bug: it is reported as an uncaught error.
   */
  flush: (batch: readonly PendingWrite[]) => Promise<boolean>;
}

/** The queue in front of a group-committing executor. */
export interface WriteQueue {
  /** True once close() was called. */
  readonly closed: boolean;
  /** Queues `work` for the next batch; rejects at once when closed or already aborted. */
  push<T>(work: (runner: SqlRunner) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Registers a listener called after every flush that committed. */
  onCommit(listener: () => void): () => void;
  /** Takes no more writes, waits until every queued one has settled, forgets the listeners. */
  close(): Promise<void>;
}

/** The error an aborted operation fails with: the signal's reason, or an AbortError. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('the operation was aborted', 'AbortError');
}

/** The outcome of a write whose signal was aborted before it ran, or undefined if it may run. */
export function abortedOutcome(pending: PendingWrite): Outcome | undefined {
  if (!pending.signal?.aborted) return undefined;
  return { type: 'error', error: abortError(pending.signal) };
}

/** Settles each write of a batch with its outcome, in batch order. */
export function settleBatch(batch: readonly PendingWrite[], outcomes: readonly Outcome[]): void {
  batch.forEach((pending, index) => {
    const outcome = outcomes[index] as Outcome;
    if (outcome.type === 'value') pending.resolve(outcome.value);
    else pending.reject(outcome.error);
  });
}

/**
 * Queues writes in the order they were asked for and hands them to `flush` in batches of up to
 * `maxBatch`, one batch at a time. A batch starts on setImmediate, not a microtask, so every
 * caller that resumes after the previous commit gets to queue its next write first.
 */
export function createWriteQueue(options: WriteQueueOptions): WriteQueue {
  const maxBatch = options.maxBatch ?? 512;
  const listeners = new Set<() => void>();
  const queue: PendingWrite[] = [];
  let flushing: Promise<void> | null = null;
  let scheduled = false;
  let closed = false;

  const notify = () => {
    for (const listener of listeners) listener();
  };

  const flushNext = async () => {
    const batch = queue.splice(0, maxBatch);
    try {
      if (await options.flush(batch)) notify();
    } catch (error) {
      // flush settles every write it took; anything thrown here is a bug, not a database error
      queueMicrotask(() => {
        throw error;
      });
      notify();
    }
  };

  const schedule = () => {
    if (scheduled || flushing || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flushing = flushNext().finally(() => {
        flushing = null;
        schedule();
      });
    });
  };

  return {
    get closed() {
      return closed;
    },
    push<T>(work: (runner: SqlRunner) => Promise<T>, signal?: AbortSignal) {
      if (closed) return Promise.reject(new BoardClosedError());
      if (signal?.aborted) return Promise.reject(abortError(signal));
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, signal, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      while (flushing || scheduled || queue.length > 0) {
        if (flushing) await flushing;
        else await new Promise((resolve) => setImmediate(resolve));
      }
      listeners.clear();
    },
  };
}
