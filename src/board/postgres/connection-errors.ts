import { setTimeout as sleep } from 'node:timers/promises';

// SQLSTATE classes and codes that mean the session is gone, not that the statement was wrong:
// 08 connection exception, 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now
const lostSessionCodes = new Set(['57P01', '57P02', '57P03']);
const lostSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/** True when an error from pg means the connection (or the server) went away. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || lostSessionCodes.has(code) || lostSocketCodes.has(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}

/** How long and how often to retry after a lost connection. */
export interface RetryPolicy {
  /** Give up once this much time has passed since the first failure (default 30 s). */
  retryForMs: number;
  /** First pause; doubles up to `maxDelayMs` (defaults 50 ms and 1 s). */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** The defaults: long enough to ride out a server restart or a fail-over. */
export const defaultRetryPolicy: RetryPolicy = { retryForMs: 30_000, initialDelayMs: 50, maxDelayMs: 1000 };

/**
 * Runs `attempt` again after connection errors, with exponential backoff, until it succeeds, fails
 * another way, the policy's time runs out or the signal aborts. `attempt` must be safe to repeat.
 */
export async function retryOnConnectionLoss<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  const started = Date.now();
  let delay = policy.initialDelayMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() - started + delay > policy.retryForMs) throw error;
      await sleep(delay, undefined, { signal });
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
