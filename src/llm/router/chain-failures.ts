import type { FallbackCategory, RetryPolicy } from '../../protocol/index.ts';
import { ModelError } from '../model-error.ts';
import { describeGiveUp } from './describe-give-up.ts';
import { fallbackCategoryOf } from './fallback-category.ts';
import type { ModelOutcome } from './try-model.ts';

/** How trying one model of a chain ended without an answer. */
export type GaveUp = Extract<ModelOutcome, { type: 'gave-up' }>;

/** What one routed call has learned from the models of its chain that did not answer. */
export interface ChainFailures {
  /** One line per model, for the final error message. */
  texts: string[];
  /** Attempts over the whole chain. */
  attempts: number;
  soonestRetryMs: number | null;
  /** Some model failed in a way that may pass (a retryable failure, a breaker cooling down). */
  transient: boolean;
  last: { modelId: string; outcome: GaveUp; category: FallbackCategory } | null;
}

/** No failures yet. */
export function createChainFailures(): ChainFailures {
  return { texts: [], attempts: 0, soonestRetryMs: null, transient: false, last: null };
}

function noteRetryAfter(failures: ChainFailures, milliseconds: number): void {
  failures.soonestRetryMs = Math.min(failures.soonestRetryMs ?? milliseconds, milliseconds);
}

/** Notes a model skipped because its breaker is open. */
export function recordSkip(failures: ChainFailures, modelId: string, retryInMs: number): void {
  failures.texts.push(`${modelId} is cooling down after repeated failures`);
  failures.transient = true;
  noteRetryAfter(failures, retryInMs);
}

/** Notes a model the router gave up on, and returns the category its fallback decision goes by. */
export function recordGiveUp(
  failures: ChainFailures,
  modelId: string,
  outcome: GaveUp,
  elapsedMs: number,
  retry: RetryPolicy,
): FallbackCategory {
  // Aborts throw before an outcome exists, so a null category cannot reach here; treat it as final anyway.
  const category = fallbackCategoryOf(outcome.error) ?? 'bad-request';
  failures.texts.push(`${modelId}: ${describeGiveUp(outcome, elapsedMs, retry)}`);
  failures.attempts += outcome.attempts;
  failures.transient ||= outcome.error.retryable;
  if (outcome.error.retryAfterMs !== null) noteRetryAfter(failures, outcome.error.retryAfterMs);
  failures.last = { modelId, outcome, category };
  return category;
}

/**
 * The error for a failure the chain does not fall back on: the model's own error when it was final anyway,
 * else the same type with how long and how often it was retried.
 */
export function refusedFallbackError(
  modelId: string,
  outcome: GaveUp,
  elapsedMs: number,
  retry: RetryPolicy,
) {
  if (outcome.reason === 'not-retryable') return outcome.error;
  return new ModelError({
    type: outcome.error.type,
    modelId,
    message: describeGiveUp(outcome, elapsedMs, retry),
    statusCode: outcome.error.statusCode,
    retryAfterMs: outcome.error.retryAfterMs,
    cause: outcome.error,
  });
}

/** The error once every model of a chain failed: `unavailable` when waiting may help, else the last type. */
export function exhaustedError(role: string, failures: ChainFailures): ModelError {
  const last = failures.last?.outcome.error;
  return new ModelError({
    type: failures.transient || last === undefined ? 'unavailable' : last.type,
    modelId: `router:${role}`,
    message: `every model for role "${role}" failed: ${failures.texts.join('; ')}`,
    retryAfterMs: failures.soonestRetryMs,
    limitExceeded: last?.limitExceeded ?? null,
    cause: last,
  });
}
