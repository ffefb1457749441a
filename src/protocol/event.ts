import { z } from 'zod';
import type { CatalogEventInput, StoredEventBody } from './events/event-catalog.ts';
import { AgentId, RunId, TaskId } from './ids.ts';

/**
 * Event types are dotted lowercase words (`task.claimed`, `model.retry`). The known ones form the
 * event catalog (`src/protocol/events/`); the board writes the `run.*`, `cycle.*`, `task.*`,
 * `agent.*`, `inbox.*`, `landing.recorded` and the merge queue's entry, lease and check-run ones
 * itself; other layers append theirs through the same log.
 */
export const EventType = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/,
    'an event type is dotted lowercase words, like "task.claimed"',
  );

/** Where and when an event of the log happened: everything but its type and payload. */
export const EventEnvelope = z.object({
  seq: z.int().min(1),
  runId: RunId,
  at: z.int(),
  agentId: AgentId.nullable(),
  taskId: TaskId.nullable(),
});
/** Where and when an event of the log happened. */
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/**
 * One entry of a run's append-only event log: a known catalog event (narrow on `type` for its typed
 * payload) or, for what this cadre cannot read, `{ type: 'unknown', storedType, payload, reason }`.
 */
export type BoardEvent = EventEnvelope & StoredEventBody;

/** Who and what an appended event is about; the board stamps `seq` and `at`. */
export const NewEventEnvelope = z.object({
  runId: RunId,
  agentId: AgentId.nullable().default(null),
  taskId: TaskId.nullable().default(null),
});

/** What a caller gives to append an event: a catalog event with its run (and agent, task). */
export type NewEventInput = z.input<typeof NewEventEnvelope> & CatalogEventInput;
