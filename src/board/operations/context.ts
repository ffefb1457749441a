import type { z } from 'zod';
import { type Clock, describeIssue, type IdGenerator } from '../../protocol/index.ts';
import { InvalidInputError } from '../errors.ts';
import type { LeaseClock } from './lease-clock.ts';

/** What every board operation needs besides its runner and input. */
export interface OperationContext {
  /** Stamps events and rows (`at`, `created_at`, `updated_at`); lease times too when leaseClock is `process`. */
  clock: Clock;
  leaseClock: LeaseClock;
  ids: IdGenerator;
  /** Lease expiries or retryable failures after which a task fails for good. */
  maxAttempts: number;
}

/** Validates input at the board's boundary; bad input becomes an InvalidInputError naming the field. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues
    .slice(0, 3)
    .map((issue) => describeIssue(issue, 'value'))
    .join('; ');
  throw new InvalidInputError(`invalid ${what}: ${details}`);
}

/** JSON text for a column, refusing values JSON cannot hold (functions, cycles, bigints). */
export function toJsonText(value: unknown, what: string): string {
  try {
    const text = JSON.stringify(value ?? null);
    if (text === undefined) throw new Error('not serializable');
    return text;
  } catch (error) {
    throw new InvalidInputError(`${what} must be JSON-serializable (${(error as Error).message})`);
  }
}
