import { z } from 'zod';
import { AgentId, RunId, TaskId } from './ids.ts';

/**
 * Event types are dotted lowercase words (`task.claimed`, `model.call-ended`). The board writes the
 * `run.*`, `cycle.*`, `task.*`, `agent.*`, `inbox.*` and `landing.*` ones itself; other layers append
 * their own through the same log.
 */
export const EventType = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/,
    'an event type is dotted lowercase words, like "task.claimed"',
  );

/** One entry of a run's append-only event log. */
export const BoardEvent = z.object({
  seq: z.int().min(1),
  runId: RunId,
  at: z.int(),
  agentId: AgentId.nullable(),
  taskId: TaskId.nullable(),
  type: EventType,
  payload: z.unknown(),
});
/** One entry of a run's append-only event log. */
export type BoardEvent = z.infer<typeof BoardEvent>;

/** What a caller gives to append an event. */
export const NewEvent = z.object({
  runId: RunId,
  agentId: AgentId.nullable().default(null),
  taskId: TaskId.nullable().default(null),
  type: EventType,
  payload: z.unknown().default({}),
});
/** What a caller gives to append an event (before defaults). */
export type NewEventInput = z.input<typeof NewEvent>;
