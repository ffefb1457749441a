import type { AgentBudget, AgentEventInput, AgentTotals, BudgetKind, PollInbox } from '../agent/index.ts';
import { exceededBudget } from '../agent/index.ts';
import type { Clock } from '../protocol/index.ts';

/** Why the driver cut a run of the program short. */
export type EngineInterruption =
  | { type: 'steer' }
  | { type: 'pause' }
  | { type: 'stop'; reason: string }
  | { type: 'budget'; budget: BudgetKind; limit: number; used: number };

/** Options of createEngineControl. */
export interface EngineControlOptions {
  pollInbox?: PollInbox;
  pollIntervalMs: number;
  budget: AgentBudget;
  totals: AgentTotals;
  clock: Clock;
  startedAt: number;
  emit: (event: AgentEventInput) => Promise<void>;
  signal: AbortSignal;
}

/**
 * What a person and the budgets ask of an engine while it runs. The inbox is polled for the agent's
 * whole life; a steer, pause, stop or spent budget aborts the running program (its process group is
 * killed at once, its session stays on disk) and the driver decides what comes next.
 */
export interface EngineControl {
  /** A signal for one run of the program: aborted by the agent's stop or by an interruption. */
  startRun(): AbortSignal;
  /** The interruption that ended the current run, or the one waiting to be handled; cleared by take. */
  pending(): EngineInterruption | null;
  /** Steering texts received since the last call, oldest first. */
  takeSteers(): string[];
  /** A stop or spent budget that ends the agent, once received. */
  final(): Extract<EngineInterruption, { type: 'stop' | 'budget' }> | null;
  /** Clears a handled steer or pause. */
  clear(): void;
  /** Resolves once a pause is lifted (or the agent is stopped). */
  waitWhilePaused(): Promise<void>;
  /** Asked after each model turn that will be followed by another: ends the run when a budget is spent. */
  checkBudget(): void;
  close(): void;
}

/** Starts the inbox watcher and the wall-time budget of one engine agent. */
export function createEngineControl(options: EngineControlOptions): EngineControl {
  const { clock, emit } = options;
  let run = new AbortController();
  let interruption: EngineInterruption | null = null;
  let ending: Extract<EngineInterruption, { type: 'stop' | 'budget' }> | null = null;
  let steers: string[] = [];
  let pausedAt: number | null = null;
  let wake: (() => void) | null = null;
  const closed = new AbortController();
  const interrupt = (cause: EngineInterruption) => {
    if (cause.type === 'stop' || cause.type === 'budget') ending ??= cause;
    if (interruption === null || cause.type === 'stop' || cause.type === 'budget') interruption = cause;
    run.abort(new Error(`interrupted: ${cause.type}`));
    if (ending) wake?.();
  };
  const handle = async (instruction: Awaited<ReturnType<PollInbox>>[number]) => {
    switch (instruction.type) {
      case 'steer':
        await emit({ type: 'steer-received', messageId: instruction.messageId, text: instruction.text });
        steers.push(instruction.text);
        interrupt({ type: 'steer' });
        break;
      case 'stop':
        await emit({ type: 'stop-received', messageId: instruction.messageId, reason: instruction.reason });
        interrupt({ type: 'stop', reason: instruction.reason });
        break;
      case 'pause':
        if (pausedAt !== null) break;
        pausedAt = clock();
        await emit({ type: 'paused', messageId: instruction.messageId });
        interrupt({ type: 'pause' });
        break;
      case 'resume':
        if (pausedAt === null) break;
        await emit({ type: 'resumed', messageId: instruction.messageId, pausedMs: clock() - pausedAt });
        pausedAt = null;
        wake?.();
        break;
    }
  };
  const watch = async () => {
    const signal = AbortSignal.any([options.signal, closed.signal]);
    while (!signal.aborted && options.pollInbox) {
      try {
        for (const instruction of await options.pollInbox(signal)) await handle(instruction);
      } catch (error) {
        if (signal.aborted) break;
        await emit({ type: 'inbox-poll-failed', message: (error as Error).message });
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, options.pollIntervalMs);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  };
  const watching = watch();
  const { maxWallTimeMs } = options.budget;
  const wallTimer =
    maxWallTimeMs === undefined
      ? null
      : setTimeout(
          () =>
            interrupt({
              type: 'budget',
              budget: 'wall-time',
              limit: maxWallTimeMs,
              used: clock() - options.startedAt,
            }),
          Math.max(0, maxWallTimeMs - (clock() - options.startedAt)),
        );
  return {
    startRun() {
      run = new AbortController();
      // a steer or pause that came between runs is in this run's prompt already: only stops carry over
      if (!ending) interruption = null;
      if (ending) run.abort(new Error('interrupted'));
      return AbortSignal.any([options.signal, run.signal]);
    },
    pending: () => interruption,
    takeSteers() {
      const taken = steers;
      steers = [];
      return taken;
    },
    final: () => ending,
    clear() {
      if (!ending) interruption = null;
    },
    async waitWhilePaused() {
      while (pausedAt !== null && !ending && !options.signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = () => {
            options.signal.removeEventListener('abort', done);
            resolve();
          };
          wake = done;
          options.signal.addEventListener('abort', done, { once: true });
        });
        wake = null;
      }
    },
    checkBudget() {
      const exceeded = exceededBudget(options.budget, options.totals, clock() - options.startedAt);
      if (exceeded) interrupt({ type: 'budget', ...exceeded });
    },
    close() {
      if (wallTimer) clearTimeout(wallTimer);
      closed.abort();
      void watching;
    },
  };
}
