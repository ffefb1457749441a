import { z } from 'zod';
import {
  type BoardEvent,
  type CatalogEventInput,
  checkNewEvent,
  EventType,
  NewEventEnvelope,
  type NewEventInput,
  RunId,
} from '../../protocol/index.ts';
import { InvalidInputError } from '../errors.ts';
import { eventFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';

interface InsertEventParams {
  runId: string;
  at: number;
  agentId: string | null;
  taskId: string | null;
  type: string;
  payload: string;
}

const insertEvent = defineQuery<InsertEventParams, { seq: number }>(({ db, param }) =>
  db
    .insertInto('events')
    .values({
      run_id: param('runId'),
      at: param('at'),
      agent_id: param('agentId'),
      task_id: param('taskId'),
      type: param('type'),
      payload: param('payload'),
    })
    .returning('seq'),
);

/** The event an operation appends in its own transaction (typed by the catalog; not parsed again). */
export type EventDraft = {
  runId: string;
  agentId?: string | null;
  taskId?: string | null;
} & CatalogEventInput;

/** Appends one event inside the caller's transaction; returns its sequence number. */
export async function writeEvent(runner: SqlRunner, draft: EventDraft, at: number): Promise<number> {
  const payloadText = toJsonText(draft.payload, 'event payload');
  const [row] = await runner.all(insertEvent, {
    runId: draft.runId,
    at,
    agentId: draft.agentId ?? null,
    taskId: draft.taskId ?? null,
    type: draft.type,
    payload: payloadText,
  });
  return Number(row?.seq);
}

/** Appends an event from any layer (model calls, tool calls, landings, decisions). */
export async function appendEvent(
  runner: SqlRunner,
  input: NewEventInput,
  context: OperationContext,
): Promise<BoardEvent> {
  const envelope = parseInput(NewEventEnvelope, input, 'event');
  // checked at the boundary: a type the catalog lacks, or a payload it refuses, names what is wrong
  const checked = checkNewEvent(input.type, input.payload);
  if (!checked.ok) throw new InvalidInputError(`invalid event: ${checked.message}`);
  const at = context.clock();
  // stored as parsed: defaults filled in, fields the catalog does not name kept (payloads are loose)
  const seq = await writeEvent(runner, { ...envelope, ...checked.event }, at);
  return { seq, at, ...envelope, ...checked.event };
}

/** Which events to read. */
export const ReadEventsRequest = z.object({
  runId: RunId.optional(),
  afterSeq: z.int().min(0).default(0),
  limit: z.int().min(1).max(10_000).default(500),
  types: z.array(EventType).max(50).optional(),
});
/** Which events to read (before defaults). */
export type ReadEventsRequest = z.input<typeof ReadEventsRequest>;

interface ReadShape {
  run: boolean;
  types: number;
}

const selectEvents = defineQuery<
  Record<string, string | number>,
  Parameters<typeof eventFromRow>[0],
  ReadShape
>(({ db, param, shape }) => {
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('seq', '>', param('afterSeq') as number);
  if (shape.run) query = query.where('run_id', '=', param('runId') as string);
  if (shape.types > 0) {
    const types = Array.from({ length: shape.types }, (_, index) => param(`type${index}`) as string);
    query = query.where('type', 'in', types);
  }
  return query.orderBy('seq').limit(param('limit') as number);
});

/** Reads events after a sequence number, oldest first. */
export async function readEvents(runner: SqlRunner, input: ReadEventsRequest): Promise<BoardEvent[]> {
  const request = parseInput(ReadEventsRequest, input, 'event query');
  const args: Record<string, string | number> = { afterSeq: request.afterSeq, limit: request.limit };
  if (request.runId) args.runId = request.runId;
  const types = request.types ?? [];
  types.forEach((type, index) => {
    args[`type${index}`] = type;
  });
  const rows = await runner.all(selectEvents, args, {
    run: request.runId !== undefined,
    types: types.length,
  });
  return rows.map(eventFromRow);
}

const selectLastSeq = defineQuery<Record<string, string>, { seq: number | string }, { run: boolean }>(
  ({ db, param, shape }) => {
    let query = db.selectFrom('events').select('seq');
    if (shape.run) query = query.where('run_id', '=', param('runId') as string);
    // newest first from the primary key: an active run's last event is among the newest rows
    return query.orderBy('seq', 'desc').limit(1);
  },
);

/** The sequence number of the newest event (of one run, or of the board), 0 when there is none. */
export async function lastEventSeq(
  runner: SqlRunner,
  input: { runId?: string | undefined },
): Promise<number> {
  const runId = parseInput(RunId.optional(), input.runId, 'run id');
  const [row] = await runner.all(selectLastSeq, runId ? { runId } : {}, { run: runId !== undefined });
  return row ? Number(row.seq) : 0;
}
