import type { Sleep } from '../llm/index.ts';
import type { InboxInstruction, PollInbox } from './agent-inbox.ts';

/** What an inbox watcher needs. */
export interface InboxWatcherOptions {
  /** The inbox; without one the watcher only runs `onTick`. */
  pollInbox: PollInbox | undefined;
  intervalMs: number;
  sleep: Sleep;
  /** Aborted when the agent ends; polls in flight are cancelled with it. */
  signal: AbortSignal;
  onInstruction(instruction: InboxInstruction): Promise<void>;
  /** A poll failed; the agent keeps going, since a flaky board must not kill a working agent. */
  onPollError(error: unknown): Promise<void>;
  /** Runs on every timer tick while work is in flight, e.g. to enforce a wall-time deadline. */
  onTick?(): void;
}

/** Polls an agent's inbox between steps and, on a timer, while a model call or a tool runs. */
export interface InboxWatcher {
  /** Polls once now (waiting for a poll already in flight rather than overlapping it). */
  poll(): Promise<void>;
  /** Awaits `work`, polling every interval until it settles, so a stop can abort it mid-flight. */
  during<T>(work: Promise<T>): Promise<T>;
}

/** Creates the watcher of one agent. */
export function createInboxWatcher(options: InboxWatcherOptions): InboxWatcher {
  let inFlight: Promise<void> | null = null;

  async function pollOnce(): Promise<void> {
    if (options.pollInbox === undefined || options.signal.aborted) return;
    let instructions: InboxInstruction[];
    try {
      instructions = await options.pollInbox(options.signal);
    } catch (error) {
      if (!options.signal.aborted) await options.onPollError(error);
      return;
    }
    for (const instruction of instructions) await options.onInstruction(instruction);
  }

  function poll(): Promise<void> {
    inFlight ??= pollOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  // One reason object for every ended call: `abort()` without one builds a DOMException with a stack
  // trace, and an agent ends a call every few seconds, a fleet thousands of times a minute.
  const callEnded = new Error('the call ended');

  async function during<T>(work: Promise<T>): Promise<T> {
    const settled = new AbortController();
    const stopTimer = () => settled.abort(callEnded);
    const stopWithAgent = () => settled.abort(options.signal.reason);
    if (options.signal.aborted) stopWithAgent();
    else options.signal.addEventListener('abort', stopWithAgent, { once: true });
    const timer = (async () => {
      for (;;) {
        try {
          await options.sleep(options.intervalMs, settled.signal);
        } catch {
          return;
        }
        // An injected fake sleep resolves at once; yielding a macrotask keeps it from starving real I/O.
        await new Promise((resolve) => setImmediate(resolve));
        if (settled.signal.aborted) return;
        options.onTick?.();
        await poll();
      }
    })();
    try {
      return await work;
    } finally {
      stopTimer();
      options.signal.removeEventListener('abort', stopWithAgent);
      await timer;
    }
  }

  return { poll, during };
}
