import type { BoardEvent, Task } from '../protocol/index.ts';
import type { ReadEventsRequest } from './operations/event-operations.ts';
import type { ListTasksRequest } from './operations/task-listing.ts';
import type { TaskBoard } from './task-board.ts';

const pageSize = 5_000;

/** Every task the request matches, read a page at a time (a single listTasks stops at its limit). */
export async function listAllTasks(
  board: TaskBoard,
  request: Omit<ListTasksRequest, 'afterId' | 'limit'>,
  signal?: AbortSignal,
): Promise<Task[]> {
  const tasks: Task[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await board.listTasks({ ...request, afterId, limit: pageSize }, { signal });
    tasks.push(...page);
    if (page.length < pageSize) return tasks;
    afterId = page.at(-1)?.id;
  }
}

/** Every event the request matches, from its `afterSeq` on, read a page at a time. */
export async function readAllEvents(
  board: TaskBoard,
  request: Omit<ReadEventsRequest, 'limit'>,
  signal?: AbortSignal,
): Promise<BoardEvent[]> {
  const events: BoardEvent[] = [];
  let afterSeq = request.afterSeq ?? 0;
  for (;;) {
    const page = await board.readEvents({ ...request, afterSeq, limit: pageSize }, { signal });
    events.push(...page);
    if (page.length < pageSize) return events;
    afterSeq = page.at(-1)?.seq ?? afterSeq;
  }
}
