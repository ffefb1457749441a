import { z } from 'zod';
import { eventOf, payload } from './define-event.ts';

/** What every lander event carries; `agent` is the lease owner (an agent id or not). */
const base = { fence: z.number(), elapsedMs: z.number(), agent: z.string() };

/** How a landing ended without landing (a LandOutcome type of the workspace). */
export const NotLandedOutcome = z.string();

/** `landing.recorded` (the board's record of a landing) and the lander's `landing.*` steps. */
export const landingEvents = [
  eventOf('landing.recorded', payload({ fence: z.number(), commit: z.string() })),
  eventOf(
    'landing.attempt',
    payload({ ...base, attempt: z.number(), tip: z.string(), files: z.array(z.string()) }),
  ),
  eventOf(
    'landing.retry',
    payload({ ...base, attempt: z.number(), reason: z.string(), delayMs: z.number() }),
  ),
  eventOf(
    'landing.conflict',
    payload({ ...base, attempt: z.number(), files: z.array(z.string()), tip: z.string() }),
  ),
  eventOf(
    'landing.landed',
    payload({
      ...base,
      commit: z.string(),
      source: z.enum(['push', 'board', 'branch']),
      attempts: z.number(),
      files: z.array(z.string()),
    }),
  ),
  eventOf(
    'landing.not-landed',
    payload({ ...base, outcome: NotLandedOutcome, attempts: z.number(), detail: z.string() }),
  ),
] as const;
