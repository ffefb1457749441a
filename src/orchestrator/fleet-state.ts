import type { ModelCallOutcome } from './agent-runner.ts';
import type { FleetInbox } from './fleet-inbox.ts';

/** Model calls of this process's agents: whether any model answered, and the last provider error. */
export interface ModelCallTally {
  answered: number;
  failed: number;
  lastError: string | null;
}

/** What the whole fleet shares in one process: counters for progress and the bench, and pause state. */
export interface FleetState {
  /** The agents' shared inbox poller, set while a run is driven. */
  inbox: FleetInbox | null;
  /** Milliseconds agents spent in model calls and tools. */
  busyMs: number;
  costUsd: number;
  agentsStarted: number;
  modelCalls: ModelCallTally;
  /** Counts one model call's end (see AgentJob.onModelCall). */
  recordModelCall(call: ModelCallOutcome): void;
  /** Agents running now, by id, with their role. */
  active: Map<string, 'planner' | 'worker' | 'judge'>;
  /** Which agent ran which task, so sub-planners and workers record their parent agent. */
  agentOfTask: Map<string, string>;
  paused: boolean;
  /** Wakes every idle slot: something changed (tasks filed, a task finished, resume). */
  kick(): void;
  /** Kicks so far: a slot that found nothing since the last kick knows nothing changed here since. */
  readonly kicks: number;
  /** Resolves on the next kick, or after `timeoutMs`. */
  nextKick(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

/** A fresh fleet state. */
export function createFleetState(): FleetState {
  // Idle slots wait here, up to one per slot: sets, not arrays, so a wake-up removes its waiter in
  // O(1). A signal holds one abort listener for all of its waiters: an EventTarget checks a new
  // listener against every listener it has, so a listener per wait made 1,000 idle slots on one
  // signal quadratic (the fleet bench's profile showed it).
  const waiters = new Set<() => void>();
  const waitersBySignal = new WeakMap<AbortSignal, Set<() => void>>();
  const abortWaitersOf = (signal: AbortSignal): Set<() => void> => {
    const existing = waitersBySignal.get(signal);
    if (existing) return existing;
    const created = new Set<() => void>();
    waitersBySignal.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const wake of [...created]) wake();
      },
      { once: true },
    );
    return created;
  };
  let kicks = 0;
  const modelCalls: ModelCallTally = { answered: 0, failed: 0, lastError: null };
  return {
    inbox: null,
    busyMs: 0,
    costUsd: 0,
    agentsStarted: 0,
    modelCalls,
    recordModelCall(call) {
      switch (call.type) {
        case 'answered':
          modelCalls.answered++;
          return;
        case 'failed':
          modelCalls.failed++;
          modelCalls.lastError = call.message;
          return;
      }
    },
    active: new Map(),
    agentOfTask: new Map(),
    paused: false,
    get kicks() {
      return kicks;
    },
    kick() {
      kicks++;
      const woken = [...waiters];
      waiters.clear();
      for (const wake of woken) wake();
    },
    nextKick(timeoutMs, signal) {
      return new Promise((resolve) => {
        if (signal.aborted) {
          resolve();
          return;
        }
        const onAbort = abortWaitersOf(signal);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          onAbort.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
        onAbort.add(done);
      });
    },
  };
}
