import { z } from 'zod';
import { RunId, TaskId } from './ids.ts';
import { CommitSha } from './run.ts';

/** Why an entry left the queue, or how it landed: the one record a worker reads to learn its change's fate. */
export const QueueOutcome = z.discriminatedUnion('type', [
  /** `commit` is the branch commit that holds the change. */
  z.object({ type: z.literal('landed'), commit: CommitSha, checkRunId: z.string() }),
  z.object({ type: z.literal('conflict'), tip: CommitSha, files: z.array(z.string()) }),
  z.object({ type: z.literal('checks-failed'), checkRunId: z.string(), tip: CommitSha }),
  z.object({ type: z.literal('already-on-branch'), tip: CommitSha }),
  z.object({ type: z.literal('already-landed'), commit: CommitSha }),
  z.object({ type: z.literal('stale-fence'), message: z.string() }),
  z.object({ type: z.literal('withdrawn'), reason: z.string() }),
]);
/** Why an entry left the queue, or how it landed; narrow on `type`. */
export type QueueOutcome = z.infer<typeof QueueOutcome>;

/** Whether an entry still waits for the queue (`queued`) or has its outcome (`settled`). */
export const QueueEntryStatus = z.enum(['queued', 'settled']);
/** Whether an entry still waits for the queue or has its outcome. */
export type QueueEntryStatus = z.infer<typeof QueueEntryStatus>;

/** A task's change waiting in (or settled by) its run's merge queue, durable so a runner can die and resume. */
export const QueueEntry = z.object({
  /** Made by the board (`qe_…`); unique. */
  id: z.string(),
  runId: RunId,
  taskId: TaskId,
  /** The task lease's fence at submission. */
  fence: z.int().min(1),
  agentId: z.string().nullable(),
  /** The change as one commit whose parent is `base`. */
  commit: CommitSha,
  base: CommitSha,
  /** Where the commit is on the hub, e.g. `refs/cadre/queue/<task>/<fence>`. */
  ref: z.string(),
  files: z.array(z.string()),
  /** Submission order within the run, strictly increasing (and in commit order, so paging never skips one). */
  position: z.int(),
  status: QueueEntryStatus,
  /** Null while queued. */
  outcome: QueueOutcome.nullable(),
  submittedAt: z.int(),
  settledAt: z.int().nullable(),
});
/** A task's change in its run's merge queue. */
export type QueueEntry = z.infer<typeof QueueEntry>;

/** How a check of a tree ended; `timed-out` is kept apart from `failed` because it says nothing about the change. */
export const CheckRunResult = z.enum(['passed', 'failed', 'timed-out']);
/** How a check of a tree ended. */
export type CheckRunResult = z.infer<typeof CheckRunResult>;

/** One run of the checks over a tree, kept so that a bisection or a red tip can be explained afterwards. */
export const CheckRun = z.object({
  /** Made by the board (`cr_…`); unique. */
  id: z.string(),
  runId: RunId,
  /** The tree checked: a batch head, or the branch tip. */
  commit: CommitSha,
  /** The branch tip the batch was built on (the same as `commit` for a check of the tip). */
  base: CommitSha,
  entryIds: z.array(z.string()),
  result: CheckRunResult,
  flaky: z.boolean(),
  durationMs: z.int(),
  /** Capped by the caller; stored as given. */
  output: z.string(),
  /** The task created to fix what the checks found, in the same transaction; null when none was asked for. */
  fixTaskId: TaskId.nullable(),
  at: z.int(),
});
/** One run of the checks over a tree. */
export type CheckRun = z.infer<typeof CheckRun>;

/** The right to run a run's merge queue: one holder at a time, fenced so a runner that lost it cannot settle. */
export const QueueLease = z.object({
  runId: RunId,
  owner: z.string(),
  fence: z.int().min(1),
  expiresAt: z.int(),
});
/** The right to run a run's merge queue. */
export type QueueLease = z.infer<typeof QueueLease>;
