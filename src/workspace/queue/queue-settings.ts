import { z } from 'zod';

/** How the merge queue batches, speculates and treats failures; `workspace.landing.queue` in the config. */
export const QueueSettings = z
  .object({
    /** Most changes checked together; the queue shrinks batches when recent changes often broke the checks. */
    maxBatch: z
      .int()
      .min(1, 'queue.maxBatch must be at least 1: a batch holds one change or more')
      .max(100, 'queue.maxBatch is at most 100: beyond that a red batch costs too many bisection rounds')
      .default(16),
    /**
     * Batches checked at once: the first on the tip and the next ones stacked on it (speculation),
     * or the parts of a red batch during bisection. Each is one checks process.
     */
    speculation: z.int().min(1).max(16).default(2),
    /** Times a lone change that failed is checked again before it is blamed; a pass makes it flaky. */
    flakyRetries: z.int().min(0).max(3).default(1),
    /** When the branch tip itself is red: admit only the fix task (`hold`) or keep checking everything (`continue`). */
    onRedTip: z.enum(['hold', 'continue']).default('hold'),
    /** The queue owner's lease on the board; another process takes the queue over this long after a crash. */
    leaseTtlMs: z.int().min(1000).default(30_000),
    /** How often a waiting worker reads its entry, and an idle queue looks for submissions. */
    pollIntervalMs: z.int().min(10).max(60_000).default(250),
  })
  .strict();
/** The merge queue's settings, defaults filled in. */
export type QueueSettings = z.infer<typeof QueueSettings>;

/**
 * How changes reach the branch: `direct` (each worker rebases and pushes, checks per landing when
 * asked) or `queue` (workers submit; the queue checks batches and fast-forwards only green ones).
 */
export const LandingMode = z.enum(['direct', 'queue']);
/** How changes reach the branch. */
export type LandingMode = z.infer<typeof LandingMode>;

/** The mode a config asks for, or `queue` whenever checks are configured and `direct` otherwise. */
export function resolveLandingMode(mode: LandingMode | undefined, hasChecks: boolean): LandingMode {
  return mode ?? (hasChecks ? 'queue' : 'direct');
}
