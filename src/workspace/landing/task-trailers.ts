import { z } from 'zod';
import { LeaseOwner, RunId, TaskId } from '../../protocol/index.ts';

/** Which run, task, lease and agent a landed commit belongs to; written as git trailers. */
export const TaskTrailers = z.object({
  runId: RunId,
  taskId: TaskId,
  fence: z.int().min(1),
  /** An agent id, or any lease owner name for landers that are not agents (benchmarks). */
  agentId: LeaseOwner,
});
/** Which run, task, lease and agent a landed commit belongs to. */
export type TaskTrailers = z.infer<typeof TaskTrailers>;

/** The trailer keys, in the order they are written. */
export const trailerKeys = {
  runId: 'Cadre-Run',
  taskId: 'Cadre-Task',
  fence: 'Cadre-Fence',
  agentId: 'Cadre-Agent',
} as const;

/**
 * The commit message of a landing: the worker's message, then the trailers as the last paragraph.
 * Only the last paragraph of a message counts as trailers, so lines in the worker's text that look
 * like trailers can never be mistaken for cadre's.
 */
export function buildCommitMessage(message: string, trailers: TaskTrailers): string {
  const parsed = TaskTrailers.parse(trailers);
  const text = message.replace(/\r\n/g, '\n').trim() || `Land ${parsed.taskId}`;
  const lines = (Object.keys(trailerKeys) as (keyof TaskTrailers)[]).map(
    (key) => `${trailerKeys[key]}: ${parsed[key]}`,
  );
  return `${text}\n\n${lines.join('\n')}\n`;
}

/** The `git log --format` placeholder printing a commit's trailers as `key: value` lines. */
export const trailerFormat = '%(trailers:only,unfold)';

/** Reads cadre's trailers from `git log` trailer output; null when any is missing or malformed. */
export function parseTaskTrailers(text: string): TaskTrailers | null {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const separator = line.indexOf(':');
    if (separator > 0) values[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  const result = TaskTrailers.safeParse({
    runId: values[trailerKeys.runId],
    taskId: values[trailerKeys.taskId],
    fence: Number(values[trailerKeys.fence]),
    agentId: values[trailerKeys.agentId],
  });
  return result.success ? result.data : null;
}
