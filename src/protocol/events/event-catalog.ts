import { z } from 'zod';
import { type AgentLoopEvent, agentEvents } from './agent-events.ts';
import { coordinationEvents } from './coordination-events.ts';
import { cycleEvents } from './cycle-events.ts';
import { inboxEvents } from './inbox-events.ts';
import { landingEvents } from './landing-events.ts';
import { modelEvents } from './model-events.ts';
import { queueEvents } from './queue-events.ts';
import { runEvents } from './run-events.ts';
import { sandboxEvents } from './sandbox-events.ts';
import { taskEvents } from './task-events.ts';
import { workspaceEvents } from './workspace-events.ts';

/**
 * The version of the event catalog. Bump it when an event type is added or a payload changes shape;
 * readers of an older catalog see the events they do not know as `unknown`, never an error.
 */
export const eventCatalogVersion = 2;

/** Every event type the board stores, keyed by `type`, each with the schema of its payload. */
export const CatalogEvent = z.discriminatedUnion('type', [
  ...runEvents,
  ...cycleEvents,
  ...taskEvents,
  ...agentEvents,
  ...inboxEvents,
  ...landingEvents,
  ...queueEvents,
  ...modelEvents,
  ...sandboxEvents,
  ...workspaceEvents,
  ...coordinationEvents,
]);
/** A known event: its type and its typed payload. */
export type CatalogEvent = z.output<typeof CatalogEvent>;
/** A known event as a writer gives it (before defaults). */
export type CatalogEventInput = z.input<typeof CatalogEvent>;
/** The type of a known event, e.g. `task.claimed`. */
export type CatalogEventType = CatalogEvent['type'];
/** The payload of one known event type. */
export type EventPayload<Type extends CatalogEventType> = Extract<CatalogEvent, { type: Type }>['payload'];
/** The payload a writer gives for one known event type. */
export type EventPayloadInput<Type extends CatalogEventType> = Extract<
  CatalogEventInput,
  { type: Type }
>['payload'];

/** Every type of the catalog, in catalog order. */
export const catalogEventTypes: readonly CatalogEventType[] = CatalogEvent.options.map(
  (option) => option.shape.type.value,
);

const known = new Set<string>(catalogEventTypes);

/** Whether a stored type is one this catalog knows. */
export function isCatalogEventType(type: string): type is CatalogEventType {
  return known.has(type);
}

/**
 * A stored event this cadre cannot read as a known one: a type the catalog does not have (an older
 * or newer cadre's, or one since removed), or a payload its schema refuses. Its stored type and raw
 * payload are kept, with the reason.
 */
export const UnknownEvent = z.object({
  type: z.literal('unknown'),
  storedType: z.string(),
  payload: z.unknown(),
  reason: z.string(),
});
/** A stored event this cadre cannot read as a known one. */
export type UnknownEvent = z.infer<typeof UnknownEvent>;

/** What a stored event reads as: a known catalog event, or the unknown fallback. */
export type StoredEventBody = CatalogEvent | UnknownEvent;

// the parsed value is `{ type, payload }`, so a path names the payload's field: `payload.fence`
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}`;
}

/** Reads a stored type and payload; never throws: what the catalog cannot read comes back as `unknown`. */
export function parseStoredEvent(type: string, payload: unknown): StoredEventBody {
  if (!isCatalogEventType(type))
    return {
      type: 'unknown',
      storedType: type,
      payload,
      reason: `event type ${type} is not in the event catalog (version ${eventCatalogVersion})`,
    };
  const parsed = CatalogEvent.safeParse({ type, payload });
  if (parsed.success) return parsed.data;
  return {
    type: 'unknown',
    storedType: type,
    payload,
    reason: `the ${type} payload does not match the catalog (version ${eventCatalogVersion}): ${describeIssue(parsed.error)}`,
  };
}

/** The outcome of checking an event to append. */
export type NewEventCheck = { ok: true; event: CatalogEvent } | { ok: false; message: string };

/** Checks an event before it is appended: its type must be in the catalog and its payload match. */
export function checkNewEvent(type: string, payload: unknown): NewEventCheck {
  if (!isCatalogEventType(type))
    return {
      ok: false,
      message: `event type ${type} is not in the event catalog (version ${eventCatalogVersion}); add it to src/protocol/events before writing it`,
    };
  const parsed = CatalogEvent.safeParse({ type, payload });
  if (parsed.success) return { ok: true, event: parsed.data };
  return { ok: false, message: `${type}: ${describeIssue(parsed.error)}` };
}

/**
 * A catalog event from a type and its payload, for writers whose type is a union (a lander's or a
 * router's events): the payload is checked against the payloads of those types (and again by zod
 * when appended).
 */
export function catalogEvent<Type extends CatalogEventType>(
  type: Type,
  payload: EventPayloadInput<Type>,
): CatalogEventInput {
  // TypeScript cannot correlate a union of types with a union of payloads; appendEvent checks the pair
  return { type, payload } as CatalogEventInput;
}

/** The catalog event of an agent loop event: `agent.<type>` with its fields (without `at`) as payload. */
export function agentLoopCatalogEvent(event: AgentLoopEvent): CatalogEventInput {
  const { type, at: _at, ...fields } = event;
  // the loop's short types map one to one onto `agent.*` entries of the catalog (see agentLoopPayloads)
  return { type: `agent.${type}`, payload: fields } as CatalogEventInput;
}
