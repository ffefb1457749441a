import { z } from 'zod';
import type { TaskBoard } from '../../board/index.ts';

/** One line of the shared list: open, claimed by a peer, or done by a peer (peers by number). */
export type TaskEntry =
  | { type: 'open' }
  | { type: 'claimed'; agent: number }
  | { type: 'done'; agent: number };

/** The list as a peer read it, with the version its rewrite is checked against. */
export interface TaskListSnapshot {
  version: number;
  entries: TaskEntry[];
}

/** The scope of the row holding the list, so no claim filter of the lab ever leases it. */
export const taskListScope = 'coordination/task-list/**';

// Compact on purpose: the whole list is rewritten (and logged in task.updated) on every write.
const entryText = z.string().regex(/^(o|c\d+|d\d+)$/, 'a list entry is o, c<agent> or d<agent>');

/** The list as stored in the row's spec: `o,c3,d3` (open, claimed by peer 3, done by peer 3). */
export function encodeTaskList(entries: readonly TaskEntry[]): string {
  return entries
    .map((entry) => {
      switch (entry.type) {
        case 'open':
          return 'o';
        case 'claimed':
          return `c${entry.agent}`;
        case 'done':
          return `d${entry.agent}`;
        default:
          return assertNever(entry);
      }
    })
    .join(',');
}

/** Parses the stored list; throws on a corrupt document. */
export function decodeTaskList(text: string): TaskEntry[] {
  if (text === '') return [];
  return z
    .array(entryText)
    .parse(text.split(','))
    .map((item): TaskEntry => {
      if (item === 'o') return { type: 'open' };
      const agent = Number(item.slice(1));
      return item.startsWith('c') ? { type: 'claimed', agent } : { type: 'done', agent };
    });
}

/** The one shared task list of the flat strategies: a board task row whose spec is the list. */
export interface SharedTaskList {
  readonly taskId: string;
  read(signal: AbortSignal): Promise<TaskListSnapshot>;
  /** Rewrites the whole list if the row is still at `version`; throws VersionConflictError otherwise. */
  write(entries: readonly TaskEntry[], version: number, signal: AbortSignal): Promise<number>;
}

/** Options of createSharedTaskList. */
export interface SharedTaskListOptions {
  board: TaskBoard;
  runId: string;
  tasks: number;
  signal: AbortSignal;
}

/**
 * Files the list row with every task open. The row is a real board task, so rewrites go through
 * the board's optimistic `updateTask` and each one lands in the event log like any other change.
 */
export async function createSharedTaskList(options: SharedTaskListOptions): Promise<SharedTaskList> {
  const { board } = options;
  const entries: TaskEntry[] = Array.from({ length: options.tasks }, () => ({ type: 'open' }));
  const [row] = await board.createTasks(
    [
      {
        runId: options.runId,
        kind: 'work',
        title: 'the shared task list of the flat peers',
        spec: encodeTaskList(entries),
        scope: [taskListScope],
      },
    ],
    { signal: options.signal },
  );
  if (!row) throw new Error('the board created no task-list row');
  const taskId = row.id;
  return {
    taskId,
    async read(signal) {
      const task = await board.getTask(taskId, { signal });
      return { version: task.version, entries: decodeTaskList(task.spec) };
    },
    async write(next, version, signal) {
      const task = await board.updateTask(
        { taskId, version, patch: { spec: encodeTaskList(next) } },
        { signal },
      );
      return task.version;
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled list entry ${JSON.stringify(value)}`);
}
