import { z } from 'zod';
import { CycleId, LeaseOwner, RunId, TaskId } from './ids.ts';

/** What a task asks for: planning an area, doing one piece of work, or judging a cycle. */
export const TaskKind = z.enum(['plan', 'work', 'judge']);
/** What a task asks for. */
export type TaskKind = z.infer<typeof TaskKind>;

/** Where a task is in its life. Only `open` tasks can be claimed; done, failed and cancelled are final. */
export const TaskStatus = z.enum(['open', 'leased', 'done', 'failed', 'cancelled']);
/** Where a task is in its life. */
export type TaskStatus = z.infer<typeof TaskStatus>;

/** The statuses a task never leaves. */
export const finalTaskStatuses: readonly TaskStatus[] = ['done', 'failed', 'cancelled'];

/** A path glob relative to the repository root, such as `src/ui/**`; never absolute, never `..`. */
export const ScopeGlob = z
  .string()
  .min(1)
  .max(400)
  .refine((glob) => !glob.startsWith('/') && !glob.split('/').includes('..'), {
    message: 'a scope glob is relative to the repository root and may not contain ".."',
  });

/** A task as stored on the board. */
export const Task = z.object({
  id: TaskId,
  runId: RunId,
  cycleId: CycleId.nullable(),
  parentId: TaskId.nullable(),
  kind: TaskKind,
  title: z.string(),
  spec: z.string(),
  acceptance: z.string(),
  scope: z.array(ScopeGlob),
  priority: z.int(),
  dependsOn: z.array(TaskId),
  status: TaskStatus,
  attempts: z.int().min(0),
  leaseOwner: LeaseOwner.nullable(),
  leaseExpiresAt: z.int().nullable(),
  fence: z.int().min(0),
  version: z.int().min(1),
  result: z.unknown().nullable(),
  handoff: z.string().nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.int(),
  updatedAt: z.int(),
});
/** A task as stored on the board. */
export type Task = z.infer<typeof Task>;

/** What a caller gives to create a task; the board fills in status, fence, version and times. */
export const NewTask = z.object({
  /** Set when the caller needs to refer to the task (for example in dependsOn) before it exists. */
  id: TaskId.optional(),
  runId: RunId,
  cycleId: CycleId.nullable().default(null),
  parentId: TaskId.nullable().default(null),
  kind: TaskKind,
  title: z.string().min(1, 'a task needs a title').max(500),
  spec: z.string().max(100_000).default(''),
  acceptance: z.string().max(20_000).default(''),
  scope: z.array(ScopeGlob).max(200).default([]),
  priority: z.int().min(-1_000_000).max(1_000_000).default(0),
  dependsOn: z.array(TaskId).max(200).default([]),
});
/** What a caller gives to create a task (before defaults). */
export type NewTaskInput = z.input<typeof NewTask>;
/** What a caller gives to create a task (after defaults). */
export type NewTask = z.infer<typeof NewTask>;

/** The fields of a task that may be edited with an optimistic version check. */
export const TaskPatch = z
  .object({
    title: z.string().min(1).max(500),
    spec: z.string().max(100_000),
    acceptance: z.string().max(20_000),
    scope: z.array(ScopeGlob).max(200),
    priority: z.int().min(-1_000_000).max(1_000_000),
  })
  .partial()
  .strict();
/** The fields of a task that may be edited. */
export type TaskPatch = z.infer<typeof TaskPatch>;

/**
 * The directory every glob of a scope lies under ("" when they share none), so that claims can
 * filter by area with an index-friendly prefix match instead of matching globs in SQL.
 */
export function scopeRoot(scope: readonly string[]): string {
  if (scope.length === 0) return '';
  const directories = scope.map((glob) => {
    const parts = glob.split('/').slice(0, -1);
    const firstPattern = parts.findIndex((part) => /[*?[\]{}]/.test(part));
    return firstPattern === -1 ? parts : parts.slice(0, firstPattern);
  });
  let common = directories[0] ?? [];
  for (const directory of directories.slice(1)) {
    let index = 0;
    while (index < common.length && index < directory.length && common[index] === directory[index]) index++;
    common = common.slice(0, index);
  }
  return common.length === 0 ? '' : `${common.join('/')}/`;
}
