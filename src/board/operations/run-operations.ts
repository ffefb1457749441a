import { sql } from 'kysely';
import { z } from 'zod';
import {
  type Cycle,
  CycleId,
  CycleStatus,
  NewRun,
  type NewRunInput,
  type Run,
  RunId,
  RunPatch,
  Verdict,
} from '../../protocol/index.ts';
import { NotFoundError, VersionConflictError } from '../errors.ts';
import { cycleFromRow, runFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { CyclesTable, RunsTable } from '../tables.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';
import { writeEvent } from './event-operations.ts';

const insertRun = defineQuery<RunsTable, RunsTable>(({ db, param }) =>
  db
    .insertInto('runs')
    .values({
      id: param('id'),
      goal: param('goal'),
      config: param('config'),
      status: param('status'),
      budget_usd: param('budget_usd'),
      version: param('version'),
      created_at: param('created_at'),
      updated_at: param('updated_at'),
    })
    .returningAll(),
);

const selectRun = defineQuery<{ id: string }, RunsTable>(({ db, param }) =>
  db.selectFrom('runs').selectAll().where('id', '=', param('id')),
);

const selectRunId = defineQuery<{ id: string }, Pick<RunsTable, 'id'>>(({ db, param }) =>
  db.selectFrom('runs').select('id').where('id', '=', param('id')),
);

/** Throws NotFoundError unless the run exists; cheaper than getRun, which parses the run's config. */
export async function assertRunExists(runner: SqlRunner, runId: string): Promise<void> {
  const id = parseInput(RunId, runId, 'run id');
  const [row] = await runner.all(selectRunId, { id });
  if (!row) throw new NotFoundError('run', id);
}

const selectRuns = defineQuery<{ limit: number }, RunsTable>(({ db, param }) =>
  db.selectFrom('runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(param('limit')),
);

/** Creates a run and appends `run.created`. */
export async function createRun(
  runner: SqlRunner,
  input: NewRunInput,
  context: OperationContext,
): Promise<Run> {
  const run = parseInput(NewRun, input, 'run');
  const now = context.clock();
  const [row] = await runner.all(insertRun, {
    id: run.id ?? context.ids('run'),
    goal: run.goal,
    config: toJsonText(run.config, 'run config'),
    status: 'running',
    budget_usd: run.budgetUsd,
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const created = runFromRow(row as RunsTable);
  await writeEvent(runner, { runId: created.id, type: 'run.created', payload: { goal: created.goal } }, now);
  return created;
}

/** Reads one run. */
export async function getRun(runner: SqlRunner, runId: string): Promise<Run> {
  const id = parseInput(RunId, runId, 'run id');
  const [row] = await runner.all(selectRun, { id });
  if (!row) throw new NotFoundError('run', id);
  return runFromRow(row);
}

/** Lists runs, newest first. */
export async function listRuns(runner: SqlRunner, limit = 100): Promise<Run[]> {
  const rows = await runner.all(selectRuns, {
    limit: parseInput(z.int().min(1).max(10_000), limit, 'limit'),
  });
  return rows.map(runFromRow);
}

/** An optimistic edit of a run. */
export const UpdateRunRequest = z.object({ runId: RunId, version: z.int().min(1), patch: RunPatch });
/** An optimistic edit of a run. */
export type UpdateRunRequest = z.input<typeof UpdateRunRequest>;

const runColumns = { goal: 'goal', status: 'status', budgetUsd: 'budget_usd' } as const;

const updateRunQuery = defineQuery<Record<string, unknown>, RunsTable, string[]>(({ db, param, shape }) => {
  const changes: Record<string, unknown> = { version: sql`version + 1`, updated_at: param('now') };
  for (const key of shape) changes[runColumns[key as keyof typeof runColumns]] = param(key);
  return db
    .updateTable('runs')
    .set(changes)
    .where('id', '=', param('runId') as string)
    .where('version', '=', param('version') as number)
    .returningAll();
});

/** Applies a patch to a run if it is still at `version`; otherwise throws VersionConflictError. */
export async function updateRun(runner: SqlRunner, input: UpdateRunRequest, context: OperationContext) {
  const request = parseInput(UpdateRunRequest, input, 'run update');
  const keys = Object.keys(request.patch).sort();
  const now = context.clock();
  const [row] = await runner.all(
    updateRunQuery,
    { ...request.patch, runId: request.runId, version: request.version, now },
    keys,
  );
  if (!row) {
    const current = await getRun(runner, request.runId);
    throw new VersionConflictError('run', request.runId, request.version, current.version);
  }
  await writeEvent(runner, { runId: request.runId, type: 'run.updated', payload: request.patch }, now);
  return runFromRow(row);
}

const insertCycle = defineQuery<
  { id: string; runId: string; now: number; baseCommit: string | null },
  CyclesTable
>(({ db, param }) =>
  db
    .insertInto('cycles')
    .columns(['id', 'run_id', 'n', 'status', 'verdict', 'started_at', 'ended_at', 'base_commit'])
    .expression((eb) =>
      eb
        .selectFrom('runs')
        .select([
          eb.val(param('id')).as('id'),
          'runs.id as run_id',
          eb
            .selectFrom('cycles')
            .select(sql<number>`coalesce(max(n), 0) + 1`.as('next'))
            .where('cycles.run_id', '=', param('runId'))
            .as('n'),
          eb.val('running').as('status'),
          sql<null>`null`.as('verdict'),
          eb.val(param('now')).as('started_at'),
          sql<null>`null`.as('ended_at'),
          eb.cast<string | null>(eb.val(param('baseCommit')), 'text').as('base_commit'),
        ])
        .where('runs.id', '=', param('runId')),
    )
    .returningAll(),
);

const selectCycle = defineQuery<{ id: string }, CyclesTable>(({ db, param }) =>
  db.selectFrom('cycles').selectAll().where('id', '=', param('id')),
);

const selectCycles = defineQuery<{ runId: string }, CyclesTable>(({ db, param }) =>
  db.selectFrom('cycles').selectAll().where('run_id', '=', param('runId')).orderBy('n'),
);

/** What a caller gives to start a cycle. */
export const NewCycleRequest = z.object({
  runId: RunId,
  /** The hub commit the cycle's work starts from, when the caller knows it. */
  baseCommit: z.string().min(1).max(200).nullable().default(null),
});
/** What a caller gives to start a cycle (before defaults). */
export type NewCycleRequest = z.input<typeof NewCycleRequest>;

/** Starts the next cycle of a run (numbered from 1), with its base commit, and appends `cycle.started`. */
export async function createCycle(runner: SqlRunner, input: NewCycleRequest, context: OperationContext) {
  const { runId, baseCommit } = parseInput(NewCycleRequest, input, 'cycle');
  const now = context.clock();
  const [row] = await runner.all(insertCycle, { id: context.ids('cycle'), runId, now, baseCommit });
  if (!row) throw new NotFoundError('run', runId);
  const cycle = cycleFromRow(row);
  await writeEvent(runner, { runId, type: 'cycle.started', payload: { cycleId: cycle.id, n: cycle.n } }, now);
  return cycle;
}

/** A change of a cycle's status, with the judge's verdict when it has one. */
export const UpdateCycleRequest = z.object({
  cycleId: CycleId,
  status: CycleStatus,
  verdict: Verdict.optional(),
});
/** A change of a cycle's status. */
export type UpdateCycleRequest = z.input<typeof UpdateCycleRequest>;

const updateCycleQuery = defineQuery<
  { id: string; status: string; verdict: string | null; endedAt: number | null },
  CyclesTable
>(({ db, param }) =>
  db
    .updateTable('cycles')
    .set({
      status: param('status'),
      verdict: sql`coalesce(${param('verdict')}, verdict)`,
      ended_at: param('endedAt'),
    })
    .where('id', '=', param('id'))
    .returningAll(),
);

/** Moves a cycle to a new status and appends `cycle.updated`. */
export async function updateCycle(runner: SqlRunner, input: UpdateCycleRequest, context: OperationContext) {
  const request = parseInput(UpdateCycleRequest, input, 'cycle update');
  const now = context.clock();
  const final = request.status === 'done' || request.status === 'failed';
  const [row] = await runner.all(updateCycleQuery, {
    id: request.cycleId,
    status: request.status,
    verdict: request.verdict === undefined ? null : toJsonText(request.verdict, 'verdict'),
    endedAt: final ? now : null,
  });
  if (!row) throw new NotFoundError('cycle', request.cycleId);
  const cycle = cycleFromRow(row);
  await writeEvent(
    runner,
    {
      runId: cycle.runId,
      type: 'cycle.updated',
      payload: { cycleId: cycle.id, n: cycle.n, status: cycle.status, verdict: cycle.verdict },
    },
    now,
  );
  return cycle;
}

/** Reads one cycle. */
export async function getCycle(runner: SqlRunner, cycleId: string): Promise<Cycle> {
  const id = parseInput(CycleId, cycleId, 'cycle id');
  const [row] = await runner.all(selectCycle, { id });
  if (!row) throw new NotFoundError('cycle', id);
  return cycleFromRow(row);
}

/** Lists a run's cycles in order. */
export async function listCycles(runner: SqlRunner, runId: string): Promise<Cycle[]> {
  const rows = await runner.all(selectCycles, { runId: parseInput(RunId, runId, 'run id') });
  return rows.map(cycleFromRow);
}
