import { z } from 'zod';
import { AgentId, AgentStatus, EventType, RunId, TaskId, TaskKind, TaskStatus } from '../protocol/index.ts';

const pageLimit = (maximum: number, fallback: number) =>
  z.coerce.number().int().min(1).max(maximum).default(fallback);

/** A comma-separated query value as a list. */
const commaList = <Item extends z.ZodType<string, string>>(item: Item, maximum: number) =>
  z
    .string()
    .transform((value) => value.split(',').filter((part) => part !== ''))
    .pipe(z.array(item).max(maximum));

/** Path parameter of every run route. */
export const RunParams = z.object({ runId: RunId });

/** Query of the run list. */
export const RunListQuery = z.object({ limit: pageLimit(1000, 100) }).strict();

/** Query of a task page: filters, a cursor, or a list of ids to refresh. */
export const TaskListQuery = z
  .object({
    status: TaskStatus.optional(),
    kind: TaskKind.optional(),
    afterId: TaskId.optional(),
    ids: commaList(TaskId, 500).optional(),
    limit: pageLimit(5000, 500),
  })
  .strict();

/** Query of an agent page: filters, a cursor, or a list of ids to refresh. */
export const AgentListQuery = z
  .object({
    role: z.string().max(40).optional(),
    status: AgentStatus.optional(),
    afterId: AgentId.optional(),
    ids: commaList(AgentId, 500).optional(),
    limit: pageLimit(5000, 500),
  })
  .strict();

/** A type filter entry: an exact event type, or a prefix ending in `*` such as `agent.*`. */
const TypeFilter = z.union([EventType, z.string().regex(/^[a-z][a-z0-9.-]*\*$/, 'a prefix ends in *')]);

/** Query of an event page. */
export const EventListQuery = z
  .object({
    afterSeq: z.coerce.number().int().min(0).optional(),
    beforeSeq: z.coerce.number().int().min(1).optional(),
    limit: pageLimit(2000, 200),
    types: commaList(TypeFilter, 50).optional(),
    agent: AgentId.optional(),
    task: TaskId.optional(),
  })
  .strict()
  .refine((query) => query.afterSeq === undefined || query.beforeSeq === undefined, {
    message: 'give afterSeq or beforeSeq, not both',
  });

/** Query of the live stream; `token` is read by the access guard. */
export const StreamQuery = z
  .object({
    afterSeq: z.coerce.number().int().min(0).optional(),
    token: z.string().optional(),
  })
  .strict();

const messageText = z.string().trim().min(1, 'write what the agent should do').max(20_000);

/** A message to an agent or a whole run (whose orchestrator passes it on to every live agent). */
export const MessageBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('steer'), text: messageText }).strict(),
  z.object({ kind: z.literal('stop'), reason: z.string().max(2000).optional() }).strict(),
  z.object({ kind: z.literal('pause') }).strict(),
  z.object({ kind: z.literal('resume') }).strict(),
]);
/** A message to an agent or a run. */
export type MessageBody = z.infer<typeof MessageBody>;
