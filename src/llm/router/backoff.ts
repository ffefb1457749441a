import type { RetryPolicy } from '../../protocol/index.ts';

/**
 * How long to wait before retry number `attempt` (1 = the first retry): "full jitter", a random wait
 * between 0 and a cap that doubles from `initialDelayMs` up to `maxDelayMs`, so that many agents hitting
 * one limit spread out instead of retrying in lockstep. A Retry-After from the provider is a floor, never
 * shortened by jitter.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs: number | null,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(random() * cap);
  return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
}

/** A duration for people: `850 ms`, `42 s`, `4 min 35 s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1_000) return `${Math.round(milliseconds)} ms`;
  const seconds = Math.round(milliseconds / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return rest === 0 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} min ${rest} s`;
}
