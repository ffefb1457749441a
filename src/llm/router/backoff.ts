import type { RetryPolicy } from '../../protocol/model-config.ts';

/**
 * How long to wait before retry number `attempt` (1 = the first retry): exponential from the base delay,
 * capped, with "equal jitter" so that many agents hitting one limit do not retry in lockstep. A Retry-After
 * from the provider is a floor, never shortened by jitter.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs: number | null,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
}
