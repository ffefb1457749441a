import { z } from 'zod';
import { eventOf, payload } from './define-event.ts';

/** Which peer of a flat strategy (its number). */
const agent = z.number();

/** The coordination lab's `coordination.*` events (see the bench's flat strategies). */
export const coordinationEvents = [
  eventOf('coordination.occ-conflict', payload({ agent, read: z.number() })),
  eventOf('coordination.unlocked-write', payload({ agent, read: z.number() })),
  eventOf('coordination.lock-reacquired', payload({ agent, fence: z.number() })),
  eventOf('coordination.work-done', payload({ agent, task: z.number(), duplicate: z.boolean() })),
  eventOf('coordination.lock-expired', payload({ owner: z.string().nullable(), fence: z.number() })),
] as const;
