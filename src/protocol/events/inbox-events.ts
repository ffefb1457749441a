import { z } from 'zod';
import { InboxKind } from '../run.ts';
import { eventOf, payload } from './define-event.ts';

/** The `inbox.*` events the board writes as messages are sent and delivered. */
export const inboxEvents = [
  eventOf('inbox.sent', payload({ messageId: z.string(), kind: InboxKind, body: z.string() })),
  eventOf('inbox.delivered', payload({ messageId: z.string(), kind: InboxKind })),
] as const;
