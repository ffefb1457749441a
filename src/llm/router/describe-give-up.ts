import type { RetryPolicy } from '../../protocol/index.ts';
import type { ModelError } from '../model-error.ts';
import { formatDuration } from './backoff.ts';
import type { GiveUpReason } from './router-events.ts';

/** The error's message without the `<model id>: ` prefix ModelError puts in front. */
export function bareMessage(error: ModelError): string {
  const prefix = `${error.modelId}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/**
 * Why the router stopped trying a model, for error messages (without the model id): how many attempts over
 * how long and which setting ended them, then the last error.
 */
export function describeGiveUp(
  outcome: { error: ModelError; reason: GiveUpReason; attempts: number },
  elapsedMs: number,
  retry: RetryPolicy,
): string {
  const { error, attempts } = outcome;
  const tried = `gave up after ${attemptsText(attempts)} over ${formatDuration(elapsedMs)}`;
  switch (outcome.reason) {
    case 'not-retryable':
      return bareMessage(error);
    case 'retry-budget-spent':
      return `${tried} (the retry budget, retry.maxElapsedMs, is ${formatDuration(retry.maxElapsedMs)}): ${bareMessage(error)}`;
    case 'max-attempts':
      return `${tried} (retry.maxAttempts is ${retry.maxAttempts}): ${bareMessage(error)}`;
    case 'retry-after-too-long':
      return `${tried}: the provider asked to wait ${formatDuration(error.retryAfterMs ?? 0)}, longer than retry.maxRetryAfterMs (${formatDuration(retry.maxRetryAfterMs)}): ${bareMessage(error)}`;
    case 'breaker-open':
      return `${tried}: it keeps failing, so its breaker opened: ${bareMessage(error)}`;
  }
}
