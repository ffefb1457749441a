import { z } from 'zod';
import { type CheckRun, CheckRunResult, CommitSha, NewTask, RunId } from '../../protocol/index.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { checkRunFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { CheckRunsTable } from '../tables.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { requireQueueLease } from './queue-lease-operations.ts';
import { queueId } from './queue-operations.ts';
import { createTasks } from './task-operations.ts';

/** One run of the checks, recorded by the queue lease's holder, with the task to fix a failure if any. */
export const RecordCheckRunRequest = z.object({
  runId: RunId,
  queueFence: z.int().min(1, 'a queue fence is a positive integer granted by acquireQueueLease'),
  commit: CommitSha,
  base: CommitSha,
  entryIds: z.array(z.string().min(1).max(200)).max(10_000),
  result: CheckRunResult,
  flaky: z.boolean(),
  durationMs: z.int().min(0),
  /** Capped by the caller; stored as given. */
  output: z.string(),
  /** Created in the same transaction; its id becomes the check run's `fixTaskId`. */
  fixTask: NewTask.optional(),
});
/** One run of the checks, recorded by the queue lease's holder. */
export type RecordCheckRunRequest = z.input<typeof RecordCheckRunRequest>;

/** Which of a run's check runs to read, newest first. */
export const ListCheckRunsRequest = z.object({
  runId: RunId,
  /** Only the runs that checked this commit. */
  commit: z.string().min(1).max(64).optional(),
  limit: z.int().min(1).max(10_000).default(100),
});
/** Which of a run's check runs to read (before defaults). */
export type ListCheckRunsRequest = z.input<typeof ListCheckRunsRequest>;

const insertCheckRun = defineQuery<CheckRunsTable, never>(({ db, param }) =>
  db.insertInto('check_runs').values({
    id: param('id'),
    run_id: param('run_id'),
    commit_sha: param('commit_sha'),
    base_sha: param('base_sha'),
    entry_ids: param('entry_ids'),
    result: param('result'),
    flaky: param('flaky'),
    duration_ms: param('duration_ms'),
    output: param('output'),
    fix_task_id: param('fix_task_id'),
    at: param('at'),
  }),
);

/**
 * Records a check run; only the holder of the run's current, unexpired queue lease may
 * (StaleFenceError otherwise). A `fixTask` is created in the same transaction, so a runner that
 * dies between the two can never leave a red tip without its fix task, nor make two.
 */
export async function recordCheckRun(
  runner: SqlRunner,
  input: RecordCheckRunRequest,
  context: OperationContext,
): Promise<CheckRun> {
  const request = parseInput(RecordCheckRunRequest, input, 'check run');
  const { fixTask } = request;
  if (fixTask && fixTask.runId !== request.runId)
    throw new InvalidInputError(
      `the fix task belongs to run ${fixTask.runId}, not the queue's run ${request.runId}`,
    );
  await requireQueueLease(runner, request.runId, request.queueFence, context);
  const [created] = fixTask ? await createTasks(runner, [fixTask], context) : [];
  const now = context.clock();
  const row: CheckRunsTable = {
    id: queueId('cr', context),
    run_id: request.runId,
    commit_sha: request.commit,
    base_sha: request.base,
    entry_ids: toJsonText(request.entryIds, 'entry ids'),
    result: request.result,
    flaky: request.flaky ? 1 : 0,
    duration_ms: request.durationMs,
    output: request.output,
    fix_task_id: created?.id ?? null,
    at: now,
  };
  await runner.run(insertCheckRun, row);
  await writeEvent(
    runner,
    {
      runId: request.runId,
      type: 'queue.check-run',
      payload: {
        checkRunId: row.id,
        commit: request.commit,
        base: request.base,
        entries: request.entryIds,
        result: request.result,
        flaky: request.flaky,
        durationMs: request.durationMs,
        fixTaskId: row.fix_task_id,
      },
    },
    now,
  );
  return checkRunFromRow(row);
}

const selectCheckRuns = defineQuery<
  { runId: string; commit?: string; limit: number },
  CheckRunsTable,
  { commit: boolean }
>(({ db, param, shape }) => {
  let query = db.selectFrom('check_runs').selectAll().where('run_id', '=', param('runId'));
  if (shape.commit) query = query.where('commit_sha', '=', param('commit') as string);
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(param('limit'));
});

/** A run's check runs, newest first; only those of one commit when `commit` is given. */
export async function listCheckRuns(runner: SqlRunner, input: ListCheckRunsRequest): Promise<CheckRun[]> {
  const request = parseInput(ListCheckRunsRequest, input, 'check run query');
  const rows = await runner.all(selectCheckRuns, request, { commit: request.commit !== undefined });
  return rows.map(checkRunFromRow);
}

const selectCheckRun = defineQuery<{ id: string }, CheckRunsTable>(({ db, param }) =>
  db.selectFrom('check_runs').selectAll().where('id', '=', param('id')),
);

/** One check run (a settled entry's outcome names it); NotFoundError when there is none. */
export async function getCheckRun(runner: SqlRunner, checkRunId: string): Promise<CheckRun> {
  const id = parseInput(z.string().min(1, 'give a check run id').max(200), checkRunId, 'check run id');
  const [row] = await runner.all(selectCheckRun, { id });
  if (!row) throw new NotFoundError('check run', id);
  return checkRunFromRow(row);
}
