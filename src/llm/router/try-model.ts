import type { Clock, RetryPolicy } from '../../protocol/index.ts';
import type { Sleep } from '../abortable.ts';
import type { Model, ModelCallOptions, ModelRequest, ModelResponse } from '../model.ts';
import { isModelError, ModelError } from '../model-error.ts';
import { backoffDelay } from './backoff.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { ErrorSummary, GiveUpReason, RouterEvent } from './router-events.ts';

/** What one routed call shares across the models of its chain. */
export interface RoutedCall {
  role: string;
  request: ModelRequest;
  callOptions: ModelCallOptions;
  /** When the call started, by `clock`: the retry budget counts from here, across the whole chain. */
  startedAt: number;
}

/** The router's parts a model attempt needs. */
export interface AttemptContext {
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  modelById: (modelId: string) => Model;
  emit: (event: RouterEvent) => void;
  clock: Clock;
  sleep: Sleep;
  random: () => number;
}

/** How trying one model ended: an answer, or the last error and why the router stopped there. */
export type ModelOutcome =
  | { type: 'ok'; response: ModelResponse }
  | { type: 'gave-up'; error: ModelError; reason: GiveUpReason; attempts: number };

/** The summary of an error recorded in router events. */
export function summarize(error: ModelError): ErrorSummary {
  return {
    type: error.type,
    message: error.message,
    statusCode: error.statusCode,
    limitExceeded: error.limitExceeded,
  };
}

function asModelError(error: unknown, modelId: string): ModelError {
  if (isModelError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError({ type: 'bad-request', modelId, message, cause: error });
}

/** Where a model stands after a retryable failure. */
interface RetryState {
  modelId: string;
  attempt: number;
  error: ModelError;
  /** A later model of the chain can serve if this one is given up. */
  laterModels: boolean;
  remainingMs: number;
  delayMs: number;
}

/** Why to stop retrying after a retryable failure, or null to wait `delayMs` and try again. */
function stopReason(context: AttemptContext, state: RetryState): GiveUpReason | null {
  const { retry } = context;
  const { error } = state;
  if (retry.maxAttempts !== undefined && state.attempt >= retry.maxAttempts) return 'max-attempts';
  if (error.retryAfterMs !== null && error.retryAfterMs > retry.maxRetryAfterMs)
    return 'retry-after-too-long';
  // With no later model an open breaker has nowhere to send the call: keep riding out the outage instead.
  if (state.laterModels && context.breaker.state(state.modelId).type === 'open') return 'breaker-open';
  if (state.delayMs > state.remainingMs) return 'retry-budget-spent';
  return null;
}

/**
 * Tries one model, retrying retryable failures with backoff while the call's time budget lasts; the same
 * request is sent each time, so the caller loses nothing. Rejects only when the call is aborted.
 */
export async function tryModel(
  context: AttemptContext,
  call: RoutedCall,
  modelId: string,
  laterModels: boolean,
): Promise<ModelOutcome> {
  const { breaker, clock, retry } = context;
  for (let attempt = 1; ; attempt++) {
    let error: ModelError;
    try {
      const response = await context.modelById(modelId).generate(call.request, call.callOptions);
      breaker.recordSuccess(modelId);
      return { type: 'ok', response };
    } catch (thrown) {
      error = asModelError(thrown, modelId);
    }
    if (call.callOptions.signal.aborted || error.type === 'aborted') {
      breaker.recordAbandoned(modelId);
      throw new ModelError({ type: 'aborted', modelId, message: 'the call was aborted', cause: error });
    }
    if (!error.retryable) {
      // The model answered, just not with success: as far as the breaker cares, it is up.
      breaker.recordSuccess(modelId);
      return { type: 'gave-up', error, reason: 'not-retryable', attempts: attempt };
    }
    breaker.recordFailure(modelId);
    const elapsedMs = clock() - call.startedAt;
    const delayMs = backoffDelay(attempt, retry, context.random, error.retryAfterMs);
    const remainingMs = retry.maxElapsedMs - elapsedMs;
    const reason = stopReason(context, { modelId, attempt, error, laterModels, remainingMs, delayMs });
    if (reason !== null) return { type: 'gave-up', error, reason, attempts: attempt };
    context.emit({
      type: 'retry',
      role: call.role,
      modelId,
      attempt,
      delayMs,
      elapsedMs,
      error: summarize(error),
    });
    try {
      await context.sleep(delayMs, call.callOptions.signal);
    } catch (cause) {
      throw new ModelError({
        type: 'aborted',
        modelId,
        message: 'the call was aborted while waiting to retry',
        cause,
      });
    }
  }
}
