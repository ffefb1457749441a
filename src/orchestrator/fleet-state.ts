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
  /** Resolves on the next kick, or after `timeoutMs`. */
  nextKick(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

/** A fresh fleet state. */
export function createFleetState(): FleetState {
  let waiters: (() => void)[] = [];
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
    kick() {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    nextKick(timeoutMs, signal) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        waiters.push(done);
      });
    },
  };
}
