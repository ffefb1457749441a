import { type Clock, createIdGenerator, type IdGenerator } from '../protocol/index.ts';
import { type ChangeSource, followEvents } from './follow-events.ts';
import { getAgent, listAgents, registerAgent, updateAgent } from './operations/agent-operations.ts';
import { getCheckRun, listCheckRuns, recordCheckRun } from './operations/check-run-operations.ts';
import type { OperationContext } from './operations/context.ts';
import { appendEvent, lastEventSeq, readEvents } from './operations/event-operations.ts';
import { acknowledge, pendingAgentMessages, pollInbox, sendMessage } from './operations/inbox-operations.ts';
import { getLanding, recordLanding } from './operations/landing-operations.ts';
import type { LeaseClock } from './operations/lease-clock.ts';
import { claim, complete, fail, heartbeat, release } from './operations/lease-operations.ts';
import {
  acquireQueueLease,
  releaseQueueLease,
  renewQueueLease,
} from './operations/queue-lease-operations.ts';
import {
  getQueueEntry,
  listQueueEntries,
  settleQueueEntry,
  submitToQueue,
} from './operations/queue-operations.ts';
import { reap } from './operations/reap-operations.ts';
import {
  createCycle,
  createRun,
  getCycle,
  getRun,
  listCycles,
  listRuns,
  updateCycle,
  updateRun,
} from './operations/run-operations.ts';
import { countTasks, listTasks } from './operations/task-listing.ts';
import { cancelSubtree, createTasks, getTask, updateTask } from './operations/task-operations.ts';
import type { SqlExecutor } from './sql/executor.ts';
import type { TaskBoard } from './task-board.ts';

/** Settings shared by every board backend. */
export interface BoardOptions {
  clock?: Clock;
  ids?: IdGenerator;
  /** Lease expiries or retryable failures after which a task fails for good (default 3). */
  maxAttempts?: number;
  /** Safety re-read interval while following events (default 2000 ms). */
  followFallbackMs?: number;
}

/** Options for assembling a board from an executor. */
export interface SqlTaskBoardOptions extends BoardOptions {
  backend: 'sqlite' | 'postgres';
  location: string;
  executor: SqlExecutor;
  /** Whose clock sets and judges lease expiries (default `process`; `database` needs PostgreSQL). */
  leaseClock?: LeaseClock;
  /** Notices of commits made by other processes; the executor's own commits are always seen. */
  externalChanges?: ChangeSource;
  /** Called after the executor closes, to release what the backend opened. */
  onClose?: () => Promise<void>;
}

/** A TaskBoard over any SQL executor: the one code path both backends share. */
export function createSqlTaskBoard(options: SqlTaskBoardOptions): TaskBoard {
  const { executor } = options;
  const clock = options.clock ?? Date.now;
  const context: OperationContext = {
    clock,
    leaseClock: options.leaseClock ?? 'process',
    ids: options.ids ?? createIdGenerator(clock),
    maxAttempts: options.maxAttempts ?? 3,
  };
  const changes: ChangeSource = (listener) => {
    const stopLocal = executor.onCommit(listener);
    const stopExternal = options.externalChanges?.(listener);
    return () => {
      stopLocal();
      stopExternal?.();
    };
  };
  const readEventsAfter = (runId: string | undefined, afterSeq: number) =>
    executor.read((runner) => readEvents(runner, { runId, afterSeq, limit: 1000 }));

  return {
    backend: options.backend,
    location: options.location,
    createRun: (input, call) => executor.write((runner) => createRun(runner, input, context), call),
    getRun: (runId, call) => executor.read((runner) => getRun(runner, runId), call),
    listRuns: (call) => executor.read((runner) => listRuns(runner, call?.limit), call),
    updateRun: (input, call) => executor.write((runner) => updateRun(runner, input, context), call),
    createCycle: (input, call) => executor.write((runner) => createCycle(runner, input, context), call),
    updateCycle: (input, call) => executor.write((runner) => updateCycle(runner, input, context), call),
    getCycle: (cycleId, call) => executor.read((runner) => getCycle(runner, cycleId), call),
    listCycles: (runId, call) => executor.read((runner) => listCycles(runner, runId), call),
    createTasks: (tasks, call) => executor.write((runner) => createTasks(runner, tasks, context), call),
    getTask: (taskId, call) => executor.read((runner) => getTask(runner, taskId), call),
    listTasks: (request, call) => executor.read((runner) => listTasks(runner, request), call),
    countTasks: (filter, call) => executor.read((runner) => countTasks(runner, filter), call),
    updateTask: (input, call) => executor.write((runner) => updateTask(runner, input, context), call),
    cancelSubtree: (input, call) => executor.write((runner) => cancelSubtree(runner, input, context), call),
    claim: (request, call) => executor.write((runner) => claim(runner, request, context), call),
    heartbeat: (request, call) => executor.write((runner) => heartbeat(runner, request, context), call),
    complete: (request, call) => executor.write((runner) => complete(runner, request, context), call),
    fail: (request, call) => executor.write((runner) => fail(runner, request, context), call),
    release: (request, call) => executor.write((runner) => release(runner, request, context), call),
    reap: (request, call) => executor.write((runner) => reap(runner, request ?? {}, context), call),
    registerAgent: (input, call) => executor.write((runner) => registerAgent(runner, input, context), call),
    updateAgent: (input, call) => executor.write((runner) => updateAgent(runner, input, context), call),
    getAgent: (agentId, call) => executor.read((runner) => getAgent(runner, agentId), call),
    listAgents: (input, call) => executor.read((runner) => listAgents(runner, input), call),
    appendEvent: (input, call) => executor.write((runner) => appendEvent(runner, input, context), call),
    readEvents: (request, call) => executor.read((runner) => readEvents(runner, request), call),
    lastEventSeq: (request, call) => executor.read((runner) => lastEventSeq(runner, request), call),
    followEvents: (request) =>
      followEvents({
        read: (afterSeq) => readEventsAfter(request.runId, afterSeq),
        changes,
        afterSeq: request.afterSeq ?? 0,
        signal: request.signal,
        fallbackIntervalMs: options.followFallbackMs,
      }),
    sendMessage: (input, call) => executor.write((runner) => sendMessage(runner, input, context), call),
    pollInbox: (input, call) => executor.read((runner) => pollInbox(runner, input), call),
    pendingAgentMessages: (input, call) =>
      executor.read((runner) => pendingAgentMessages(runner, input), call),
    acknowledge: (input, call) => executor.write((runner) => acknowledge(runner, input, context), call),
    recordLanding: (input, call) => executor.write((runner) => recordLanding(runner, input, context), call),
    getLanding: (taskId, call) => executor.read((runner) => getLanding(runner, taskId), call),
    submitToQueue: (input, call) => executor.write((runner) => submitToQueue(runner, input, context), call),
    listQueueEntries: (input, call) => executor.read((runner) => listQueueEntries(runner, input), call),
    getQueueEntry: (entryId, call) => executor.read((runner) => getQueueEntry(runner, entryId), call),
    acquireQueueLease: (input, call) =>
      executor.write((runner) => acquireQueueLease(runner, input, context), call),
    renewQueueLease: (input, call) =>
      executor.write((runner) => renewQueueLease(runner, input, context), call),
    releaseQueueLease: (input, call) => executor.write((runner) => releaseQueueLease(runner, input), call),
    settleQueueEntry: (input, call) =>
      executor.write((runner) => settleQueueEntry(runner, input, context), call),
    recordCheckRun: (input, call) => executor.write((runner) => recordCheckRun(runner, input, context), call),
    getCheckRun: (checkRunId, call) => executor.read((runner) => getCheckRun(runner, checkRunId), call),
    listCheckRuns: (input, call) => executor.read((runner) => listCheckRuns(runner, input), call),
    async close() {
      await executor.close();
      await options.onClose?.();
    },
  };
}
