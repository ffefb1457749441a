import type { TaskBoard } from '../board/index.ts';
import { scopeRoot, type Task, type TaskKind, type TaskStatus } from '../protocol/index.ts';

/** A title as a duplicate check compares it: case, Unicode forms, punctuation and spacing aside. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A scope as a duplicate check compares it: the same globs in any order, `./` aside. */
export function scopeKey(scope: readonly string[]): string {
  return [...new Set(scope.map((glob) => glob.replace(/^(\.\/)+/, '')))].sort().join('\n');
}

/** Statuses in which an equal task means the new one would be done twice. */
const liveOrDone: readonly TaskStatus[] = ['open', 'leased', 'done'];

const pageSize = 1000;

/** What a new task is checked against. */
export interface DuplicateQuery {
  runId: string;
  cycleId: string | null;
  kind: TaskKind;
  title: string;
  scope: readonly string[];
}

/** Finds duplicates of new tasks; it remembers what it has read, so each look reads only newer tasks. */
export interface DuplicateFinder {
  /**
   * The open, leased or done task of the same run, cycle and kind with the same title (normalized)
   * and scope, or null. A failed or cancelled one does not count: filing it again is a retry.
   */
  find(query: DuplicateQuery, signal?: AbortSignal): Promise<Task | null>;
}

interface SeenTasks {
  afterId: string | undefined;
  /** Normalized title and scope → ids of the tasks that have them. */
  byKey: Map<string, string[]>;
}

/**
 * A duplicate finder for one planner session. A planner files thousands of tasks in a long run, and
 * reading every task under its scope for each one made filing quadratic; task ids sort by creation,
 * so each look reads only the tasks filed since the last one (by anyone), and re-reads a candidate
 * to see its current status. A twin filed in the same millisecond by another process can be missed,
 * as it could be by any check that is not a database constraint.
 */
export function createDuplicateFinder(board: Pick<TaskBoard, 'listTasks' | 'getTask'>): DuplicateFinder {
  const views = new Map<string, SeenTasks>();
  return {
    async find(query, signal) {
      const root = scopeRoot(query.scope);
      const filter = {
        runId: query.runId,
        kind: query.kind,
        scopePrefix: root,
        ...(query.cycleId ? { cycleId: query.cycleId } : {}),
      };
      const viewKey = JSON.stringify(filter);
      const seen = views.get(viewKey) ?? { afterId: undefined, byKey: new Map() };
      views.set(viewKey, seen);
      for (;;) {
        const page = await board.listTasks({ ...filter, afterId: seen.afterId, limit: pageSize }, { signal });
        for (const task of page) {
          // the same scope has the same root; a prefix match may be a wider scope
          if (scopeRoot(task.scope) !== root) continue;
          const key = duplicateKey(task.title, task.scope);
          seen.byKey.set(key, [...(seen.byKey.get(key) ?? []), task.id]);
        }
        if (page.length > 0) seen.afterId = page.at(-1)?.id;
        if (page.length < pageSize) break;
      }
      for (const id of seen.byKey.get(duplicateKey(query.title, query.scope)) ?? []) {
        const task = await board.getTask(id, { signal });
        if (liveOrDone.includes(task.status)) return task;
      }
      return null;
    },
  };
}

function duplicateKey(title: string, scope: readonly string[]): string {
  return `${normalizeTitle(title)}\u0000${scopeKey(scope)}`;
}
