import { z } from 'zod';
import { defineTool, type Tool } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import type { Task } from '../protocol/index.ts';

const readHandoffsInput = z.object({
  limit: z.int().min(1).max(100).default(20).describe('handoffs at most; the rest stay for the next call'),
});

/** Whose handoffs read_handoffs reads. */
export interface ReadHandoffsToolOptions {
  board: Pick<TaskBoard, 'readEvents' | 'getTask'>;
  /** The agent's own task: handoffs of work tasks of its run and cycle are read. */
  ownTask: Task;
  signal?: AbortSignal;
}

/**
 * `read_handoffs`: the handoffs of the cycle's finished and failed work tasks that this agent has
 * not read yet, each once, found by following the event log from a cursor it keeps.
 */
export function createReadHandoffsTool(options: ReadHandoffsToolOptions): Tool {
  const { board, ownTask } = options;
  const seenHandoffs = new Set<string>();
  const unread: string[] = [];
  let handoffCursor = 0;

  return defineTool({
    name: 'read_handoffs',
    description:
      'Read the handoffs of finished and failed tasks of this cycle that you have not read yet: what each worker did, what it left and what it noticed.',
    inputSchema: readHandoffsInput,
    async execute(input, context) {
      const signal = options.signal ? AbortSignal.any([context.signal, options.signal]) : context.signal;
      // follow the log from where this planner last read, so a long run does not re-read every
      // finished task on each call; tasks it has not shown yet stay queued for the next call
      for (;;) {
        const events = await board.readEvents(
          {
            runId: ownTask.runId,
            afterSeq: handoffCursor,
            limit: 1000,
            types: ['task.completed', 'task.failed'],
          },
          { signal },
        );
        if (events.length === 0) break;
        for (const event of events) {
          handoffCursor = event.seq;
          if (event.taskId && !seenHandoffs.has(event.taskId)) unread.push(event.taskId);
        }
      }
      const fresh: Task[] = [];
      while (fresh.length < input.limit && unread.length > 0) {
        const taskId = unread.shift() as string;
        if (seenHandoffs.has(taskId)) continue;
        const task = await board.getTask(taskId, { signal });
        if (task.cycleId === ownTask.cycleId && task.kind === 'work') fresh.push(task);
        else seenHandoffs.add(taskId);
      }
      for (const task of fresh) seenHandoffs.add(task.id);
      const text = fresh.map(
        (task) =>
          `## ${task.id} ${task.status}: ${task.title}\n${task.handoff ?? task.failureReason ?? '(no handoff)'}`,
      );
      return {
        output: text.length > 0 ? text.join('\n\n') : 'no new handoffs (wait_for_changes waits for the next)',
        details: { count: fresh.length },
      };
    },
  });
}
