import type { BoardEvent, InboxKind, TaskStatus } from '../protocol/index.ts';

/** One thing a waiting agent is told about, tagged by `type`. */
export type BoardChange =
  | {
      type: 'task';
      taskId: string;
      title: string;
      from: TaskStatus | 'new';
      to: TaskStatus;
      /** The handoff or the failure reason, cut to one line. */
      note: string | null;
      /** Whether this change ends a wait by itself (see taskTransition). */
      wakes: boolean;
    }
  | { type: 'message'; kind: InboxKind };

/** How a task event moves a task, and whether a waiting planner can act on it. */
export interface TaskTransition {
  from: TaskStatus | 'new';
  to: TaskStatus;
  wakes: boolean;
}

// A finished task, a failed attempt or a cancellation is news a planner acts on (replan, follow up,
// re-file). Claims, hand-backs, expiries and new tasks are reported with the next wake but do not
// wake by themselves: nobody can act on them, and every wake costs a model call.
const transitions: Record<string, TaskTransition> = {
  'task.created': { from: 'new', to: 'open', wakes: false },
  'task.claimed': { from: 'open', to: 'leased', wakes: false },
  'task.released': { from: 'leased', to: 'open', wakes: false },
  'task.expired': { from: 'leased', to: 'open', wakes: false },
  'task.retrying': { from: 'leased', to: 'open', wakes: true },
  'task.completed': { from: 'leased', to: 'done', wakes: true },
  'task.failed': { from: 'leased', to: 'failed', wakes: true },
  'task.cancelled': { from: 'open', to: 'cancelled', wakes: true },
};

/** The status change a board event records, or null for an event that changes no task's status. */
export function taskTransition(event: BoardEvent): (TaskTransition & { reason: string | null }) | null {
  const transition = transitions[event.type];
  if (!transition || !event.taskId) return null;
  const reason =
    event.type === 'task.cancelled' || event.type === 'task.retrying' || event.type === 'task.failed'
      ? (event.payload.reason ?? null)
      : null;
  return {
    ...transition,
    // a cancellation says what the task was (open or leased) in its payload
    from: event.type === 'task.cancelled' ? event.payload.was : transition.from,
    reason,
  };
}

/** The kind of a message sent to `agentId` that this event records, or null. */
export function messageSentTo(event: BoardEvent, agentId: string | null): InboxKind | null {
  if (event.type !== 'inbox.sent' || agentId === null || event.agentId !== agentId) return null;
  return event.payload.kind;
}

const noteLength = 300;

/** A note cut to one line a model can skim. */
export function oneLine(text: string | null | undefined): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > noteLength ? `${flat.slice(0, noteLength)}…` : flat || null;
}

/** One line of a wait's report. */
export function describeChange(change: BoardChange): string {
  switch (change.type) {
    case 'task': {
      const label = change.to === 'done' ? 'handoff' : 'reason';
      const note = change.note ? ` — ${label}: ${change.note}` : '';
      return `- ${change.taskId} "${change.title}": ${change.from} → ${change.to}${note}`;
    }
    case 'message':
      return change.kind === 'steer'
        ? '- a steer message arrived for you: it follows this result; act on it first'
        : `- a ${change.kind} message arrived for you`;
  }
}
