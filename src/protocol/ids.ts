import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** The kinds of entity that carry a cadre id, and the prefix each id starts with. */
export const idPrefixes = {
  run: 'run',
  cycle: 'cyc',
  task: 'task',
  agent: 'agent',
  message: 'msg',
} as const;

/** One kind of entity that has an id. */
export type IdKind = keyof typeof idPrefixes;

const idBody = '[0-9a-z]{6,40}';

function idSchema(kind: IdKind) {
  const prefix = idPrefixes[kind];
  return z
    .string()
    .regex(
      new RegExp(`^${prefix}_${idBody}$`),
      `a ${kind} id looks like "${prefix}_" followed by 6-40 of [0-9a-z]`,
    );
}

/** Id of a run. */
export const RunId = idSchema('run');
/** Id of a cycle. */
export const CycleId = idSchema('cycle');
/** Id of a task. */
export const TaskId = idSchema('task');
/** Id of an agent (also accepts free-form owner names for leases, see LeaseOwner). */
export const AgentId = idSchema('agent');
/** Id of an inbox message. */
export const MessageId = idSchema('message');

/** Who holds a lease: an agent id or any process label such as "bench-3"; short and printable. */
export const LeaseOwner = z
  .string()
  .regex(/^[\w.:@-]{1,120}$/, 'a lease owner is 1-120 of letters, digits and _.:@-');

/** Milliseconds since the Unix epoch; injected wherever tests need control over time. */
export type Clock = () => number;

/** Makes a fresh id for an entity kind; injected wherever tests need stable ids. */
export type IdGenerator = (kind: IdKind) => string;

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Ids sort by creation: 10 base-36 digits of milliseconds, then a 4-digit counter that orders ids
 * made in the same millisecond by one process (a "pause" then a "resume" sent at once arrive in
 * order), then 6 random digits so that ids made by many processes at once never collide.
 */
export function createIdGenerator(clock: Clock = Date.now): IdGenerator {
  let lastTime = -1;
  let counter = 0;
  return (kind) => {
    const now = clock();
    if (now > lastTime) {
      lastTime = now;
      counter = 0;
    } else {
      // the clock stood still or stepped back: keep counting from the last time so order holds
      counter++;
    }
    const time = lastTime.toString(36).padStart(10, '0');
    const sequence = (counter % 36 ** 4).toString(36).padStart(4, '0');
    let random = '';
    for (const byte of randomBytes(6)) random += alphabet[byte % 36];
    return `${idPrefixes[kind]}_${time}${sequence}${random}`;
  };
}

/** Ids counting up from 1 per kind, for tests that compare ids. */
export function createSequentialIdGenerator(): IdGenerator {
  const counters = new Map<IdKind, number>();
  return (kind) => {
    const next = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, next);
    return `${idPrefixes[kind]}_${next.toString(36).padStart(8, '0')}`;
  };
}
