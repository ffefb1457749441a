import type { z } from 'zod';
import { type Landing, Landing as LandingSchema, TaskId } from '../../protocol/index.ts';
import { landingFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { LandingsTable } from '../tables.ts';
import { type OperationContext, parseInput } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { requireLease } from './fenced-update.ts';

const selectLanding = defineQuery<{ taskId: string }, LandingsTable>(({ db, param }) =>
  db.selectFrom('landings').selectAll().where('task_id', '=', param('taskId')),
);

const insertLanding = defineQuery<LandingsTable, never>(({ db, param }) =>
  db.insertInto('landings').values({
    task_id: param('task_id'),
    run_id: param('run_id'),
    fence: param('fence'),
    commit_sha: param('commit_sha'),
    at: param('at'),
  }),
);

/** A claim that a task's commit reached the shared branch. */
export const RecordLandingRequest = LandingSchema.pick({ taskId: true, fence: true, commit: true });
/** A claim that a task's commit reached the shared branch. */
export type RecordLandingRequest = z.input<typeof RecordLandingRequest>;

/** What recording a landing did. */
export type LandingOutcome =
  | { type: 'landed'; landing: Landing }
  | { type: 'already-landed'; landing: Landing };

/**
 * Records that a task landed, once per task whatever the fence: a retried task whose earlier
 * attempt already landed gets `already-landed` and must not push again. A stale fence is refused.
 */
export async function recordLanding(
  runner: SqlRunner,
  input: RecordLandingRequest,
  context: OperationContext,
): Promise<LandingOutcome> {
  const request = parseInput(RecordLandingRequest, input, 'landing');
  const [existing] = await runner.all(selectLanding, { taskId: request.taskId });
  if (existing) return { type: 'already-landed', landing: landingFromRow(existing) };
  const task = await requireLease(runner, request.taskId, request.fence);
  const now = context.clock();
  const row: LandingsTable = {
    task_id: request.taskId,
    run_id: task.run_id,
    fence: request.fence,
    commit_sha: request.commit,
    at: now,
  };
  await runner.run(insertLanding, row);
  await writeEvent(
    runner,
    {
      runId: task.run_id,
      taskId: task.id,
      type: 'landing.recorded',
      payload: { fence: request.fence, commit: request.commit },
    },
    now,
  );
  return { type: 'landed', landing: landingFromRow(row) };
}

/** The landing of a task, if it landed. */
export async function getLanding(runner: SqlRunner, taskId: string): Promise<Landing | null> {
  const [row] = await runner.all(selectLanding, { taskId: parseInput(TaskId, taskId, 'task id') });
  return row ? landingFromRow(row) : null;
}
