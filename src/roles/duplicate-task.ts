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

/**
 * The open, leased or done task of the same run, cycle and kind with the same title (normalized)
 * and scope, or null. A failed or cancelled one does not count: filing it again is a retry.
 */
export async function findDuplicateTask(
  board: Pick<TaskBoard, 'listTasks'>,
  query: DuplicateQuery,
  signal?: AbortSignal,
): Promise<Task | null> {
  const title = normalizeTitle(query.title);
  const key = scopeKey(query.scope);
  const root = scopeRoot(query.scope);
  // the same scope has the same root: only tasks under it can match, read a page at a time
  const filter = {
    runId: query.runId,
    kind: query.kind,
    scopePrefix: root,
    ...(query.cycleId ? { cycleId: query.cycleId } : {}),
  };
  let afterId: string | undefined;
  for (;;) {
    const page = await board.listTasks({ ...filter, afterId, limit: pageSize }, { signal });
    const match = page.find(
      (task) =>
        liveOrDone.includes(task.status) &&
        scopeRoot(task.scope) === root &&
        normalizeTitle(task.title) === title &&
        scopeKey(task.scope) === key,
    );
    if (match) return match;
    if (page.length < pageSize) return null;
    afterId = page.at(-1)?.id;
  }
}
