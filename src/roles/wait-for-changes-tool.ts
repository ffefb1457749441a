import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import { sleep as realSleep, type Sleep } from '../llm/index.ts';
import { type BoardEvent, type Clock, scopeRoot, TaskStatus } from '../protocol/index.ts';
import { type BoardChange, describeChange, messageSentTo, oneLine, taskTransition } from './board-change.ts';

/** Shortest, default and longest wait, in seconds. */
export const waitSeconds = { min: 1, default: 120, max: 600 } as const;

const waitForChangesInput = z.object({
  timeout_s: z
    .number()
    .optional()
    .describe(
      `seconds to wait at most (${waitSeconds.min} to ${waitSeconds.max}, default ${waitSeconds.default}); values outside are clamped`,
    ),
});

/** What a wait watches and for whom. */
export interface WaitForChangesOptions {
  board: Pick<TaskBoard, 'followEvents' | 'readEvents' | 'lastEventSeq' | 'getTask' | 'countTasks'>;
  runId: string;
  /** The agent's cycle: tasks of other cycles never wake it. */
  cycleId: string | null;
  /** Globs of the agent's scope (empty: the whole repository); tasks outside it never wake it. */
  scope: readonly string[];
  /** Messages to this agent (its lease owner) wake it: a steer, a stop, a pause. */
  agentId: string | null;
  /** The agent's own task: its changes are the agent's doing, or end the agent anyway. */
  ownTaskId: string | null;
  /** Tasks the agent filed itself: their creation is not news to it. */
  filedByAgent?: (taskId: string) => boolean;
  /** Appended to the report when no work is open or running in the scope: what to do then. */
  whenIdle?: string;
  /** Start after this event; by default the log's newest event when the first wait begins. */
  afterSeq?: number;
  clock?: Clock;
  /** Injected so tests can end a wait's timeout at once. */
  sleep?: Sleep;
  signal?: AbortSignal;
}

/** Whether a change ends a wait: every message does, a task change when it is actionable. */
function wakes(change: BoardChange): boolean {
  switch (change.type) {
    case 'message':
      return true;
    case 'task':
      return change.wakes;
  }
}

interface KnownTask {
  title: string;
  relevant: boolean;
}

const pageSize = 1000;
/** Pages of already-written events a wake reads on top of the one that woke it. */
const drainPages = 5;
/** Changes listed one per line; the rest are counted. */
const listedChanges = 40;

/**
 * `wait_for_changes`: blocks, at no model cost, following the board's event log from a cursor it
 * keeps per agent, until a task in the agent's scope finishes or fails, a message arrives for the
 * agent, the timeout passes or the agent is stopped. Marked `waits` so the stuck detector does not
 * count its repetitions.
 */
export function createWaitForChangesTool(options: WaitForChangesOptions): Tool {
  const { board, runId } = options;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const root = scopeRoot(options.scope);
  const known = new Map<string, KnownTask>();
  let cursor: number | null = options.afterSeq ?? null;

  async function lookUp(taskId: string, fresh: boolean, signal: AbortSignal) {
    const cached = known.get(taskId);
    if (cached && (!fresh || !cached.relevant)) return { known: cached, task: null };
    const task = await board.getTask(taskId, { signal });
    const relevant =
      task.cycleId === options.cycleId &&
      task.id !== options.ownTaskId &&
      scopeRoot(task.scope).startsWith(root);
    const entry = { title: task.title, relevant };
    known.set(taskId, entry);
    return { known: entry, task };
  }

  async function changeOf(event: BoardEvent, signal: AbortSignal): Promise<BoardChange | null> {
    const kind = messageSentTo(event, options.agentId);
    if (kind) return { type: 'message', kind };
    const transition = taskTransition(event);
    if (!transition || !event.taskId) return null;
    if (transition.from === 'new' && options.filedByAgent?.(event.taskId)) return null;
    // the handoff is written with the completion: read the task again for it
    const found = await lookUp(event.taskId, transition.wakes, signal);
    if (!found.known.relevant) return null;
    const note = oneLine(transition.reason ?? found.task?.handoff ?? found.task?.failureReason);
    return { type: 'task', taskId: event.taskId, title: found.known.title, ...transition, note };
  }

  /** Follows the log until a waking change, the timeout or an abort; returns what it saw. */
  async function follow(timeoutMs: number, signal: AbortSignal): Promise<BoardChange[]> {
    const changes: BoardChange[] = [];
    const timer = new AbortController();
    const following = AbortSignal.any([signal, timer.signal]);
    const timeout = sleep(timeoutMs, following).then(
      () => timer.abort(),
      () => {},
    );
    try {
      for await (const event of board.followEvents({ runId, afterSeq: cursor ?? 0, signal: following })) {
        cursor = event.seq;
        const change = await changeOf(event, signal);
        if (change) changes.push(change);
        if (change && wakes(change)) break;
      }
    } finally {
      timer.abort();
      await timeout;
    }
    return changes;
  }

  /** What else is already in the log when the follow ends. */
  async function drain(signal: AbortSignal): Promise<BoardChange[]> {
    const changes: BoardChange[] = [];
    for (let page = 0; page < drainPages; page++) {
      const events = await board.readEvents({ runId, afterSeq: cursor ?? 0, limit: pageSize }, { signal });
      for (const event of events) {
        cursor = event.seq;
        const change = await changeOf(event, signal);
        if (change) changes.push(change);
      }
      if (events.length < pageSize) break;
    }
    return changes;
  }

  async function scopeCounts(signal: AbortSignal): Promise<string> {
    const counts = await board.countTasks(
      { runId, kind: 'work', scopePrefix: root, ...(options.cycleId ? { cycleId: options.cycleId } : {}) },
      { signal },
    );
    const line = `Work tasks in your scope now: ${TaskStatus.options.map((status) => `${counts[status]} ${status}`).join(', ')}.`;
    const idle = counts.open === 0 && counts.leased === 0 && options.whenIdle ? `\n${options.whenIdle}` : '';
    return `${line}${idle}`;
  }

  function report(changes: readonly BoardChange[], waitedSeconds: number, counts: string): string {
    const woke = changes.some(wakes);
    const lines = changes.slice(0, listedChanges).map(describeChange);
    if (changes.length > listedChanges) lines.push(`- and ${changes.length - listedChanges} more changes`);
    const head = woke
      ? `${changes.length} change${changes.length === 1 ? '' : 's'} after ${waitedSeconds} s:`
      : changes.length === 0
        ? `Nothing changed in your scope in ${waitedSeconds} s.`
        : `No task in your scope finished in ${waitedSeconds} s. Meanwhile:`;
    return [head, ...lines, counts].join('\n');
  }

  return defineTool({
    name: 'wait_for_changes',
    waits: true,
    description:
      'Wait until something happens that you can act on: a task in your scope finishes, fails an attempt or is cancelled (with its handoff or reason), or a message arrives for you; or until the timeout passes. Nothing runs while it waits; the call counts as one step. Use it instead of calling list_tasks or read_handoffs again and again. It also reports tasks claimed or filed by others meanwhile, and how many work tasks in your scope are open, leased, done, failed and cancelled.',
    inputSchema: waitForChangesInput,
    async execute(input, context) {
      const signal = options.signal ? AbortSignal.any([context.signal, options.signal]) : context.signal;
      const seconds = Math.round(
        Math.min(waitSeconds.max, Math.max(waitSeconds.min, input.timeout_s ?? waitSeconds.default)),
      );
      const started = clock();
      try {
        cursor ??= await board.lastEventSeq({ runId }, { signal });
        const changes = await follow(seconds * 1000, signal);
        signal.throwIfAborted();
        const timedOut = !changes.some(wakes);
        // one report covers a burst, and a timeout still reports everything written before it
        changes.push(...(await drain(signal)));
        const waited = timedOut ? seconds : Math.round((clock() - started) / 1000);
        return {
          output: report(changes, waited, await scopeCounts(signal)),
          details: { changes, waitedSeconds: waited, cursor },
        };
      } catch (error) {
        if (signal.aborted) throw error;
        throw new ToolError(
          `the board could not be read while waiting (${(error as Error).message}); call wait_for_changes again`,
        );
      }
    },
  });
}
