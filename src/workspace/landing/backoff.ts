/** How long to wait between landing attempts. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * Full jitter: a random wait between 0 and an exponentially growing cap, so landers that lost the
 * same race do not come back at the same instant and collide again.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const cap = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * cap);
}
