import type { Clock } from '../../protocol/ids.ts';
import type { BreakerPolicy, RetryPolicy } from '../../protocol/model-config.ts';
import { sleep as realSleep, type Sleep } from '../abortable.ts';
import type { Model, ModelCallOptions, ModelRequest, ModelResponse } from '../model.ts';
import { isModelError, ModelError } from '../model-error.ts';
import { backoffDelay } from './backoff.ts';
import { type BreakerState, createCircuitBreaker } from './circuit-breaker.ts';
import type { ErrorSummary, RouterEvent, RouterEventListener } from './router-events.ts';

/** What a router is built from; clock, sleep and random are injected so tests control time. */
export interface ModelRouterOptions {
  /** Role → ordered chain of model ids; a `default` chain serves roles that have none. */
  roles: Readonly<Record<string, readonly string[]>>;
  /** Builds a model for an id; may throw a ModelError (for example missing credentials). */
  createModel: (modelId: string) => Model;
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  onEvent?: RouterEventListener;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
}

/** Hands out one routed Model per role; all roles share the models' circuit breakers. */
export interface ModelRouter {
  /** The routed model for a role; its id is `router:<role>`. Throws when no chain serves the role. */
  modelFor(role: string): Model;
  /** The chain that serves a role, or undefined. */
  chainFor(role: string): readonly string[] | undefined;
  breakerState(modelId: string): BreakerState;
}

function summarize(error: ModelError): ErrorSummary {
  return { type: error.type, message: error.message, statusCode: error.statusCode };
}

function asModelError(error: unknown, modelId: string): ModelError {
  if (isModelError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError({ type: 'bad-request', modelId, message, cause: error });
}

/**
 * Creates a router: each call tries the role's chain in order; retryable failures are retried with backoff
 * (honoring Retry-After) and then fall back to the next model; a model whose breaker is open is skipped;
 * non-retryable failures and aborts surface at once.
 */
export function createModelRouter(options: ModelRouterOptions): ModelRouter {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const emit = (event: RouterEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken listener must not turn a good model call into a failure.
    }
  };
  const breaker = createCircuitBreaker({ policy: options.breaker, clock, onEvent: emit });
  const models = new Map<string, Model>();

  function modelById(modelId: string): Model {
    let model = models.get(modelId);
    if (model === undefined) {
      model = options.createModel(modelId);
      models.set(modelId, model);
    }
    return model;
  }

  function chainFor(role: string): readonly string[] | undefined {
    return options.roles[role] ?? options.roles.default;
  }

  /** Tries one model with retries; returns the response, or the error to fall back on. */
  async function tryModel(
    role: string,
    modelId: string,
    request: ModelRequest,
    callOptions: ModelCallOptions,
  ): Promise<{ type: 'ok'; response: ModelResponse } | { type: 'failed'; error: ModelError }> {
    for (let attempt = 1; ; attempt++) {
      let error: ModelError;
      try {
        const response = await modelById(modelId).generate(request, callOptions);
        breaker.recordSuccess(modelId);
        return { type: 'ok', response };
      } catch (thrown) {
        error = asModelError(thrown, modelId);
      }
      if (callOptions.signal.aborted || error.type === 'aborted') {
        breaker.recordAbandoned(modelId);
        throw new ModelError({ type: 'aborted', modelId, message: 'the call was aborted', cause: error });
      }
      if (!error.retryable) {
        // The model answered, just not with success: as far as the breaker cares, it is up.
        breaker.recordSuccess(modelId);
        emit({ type: 'call-failed', role, modelId, error: summarize(error) });
        throw error;
      }
      breaker.recordFailure(modelId);
      const tooLong = error.retryAfterMs !== null && error.retryAfterMs > options.retry.maxRetryAfterMs;
      if (attempt >= options.retry.maxAttempts || tooLong || breaker.state(modelId).type === 'open') {
        return { type: 'failed', error };
      }
      const delayMs = backoffDelay(attempt, options.retry, random, error.retryAfterMs);
      emit({ type: 'retry', role, modelId, attempt, delayMs, error: summarize(error) });
      try {
        await sleep(delayMs, callOptions.signal);
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

  async function route(
    role: string,
    request: ModelRequest,
    callOptions: ModelCallOptions,
  ): Promise<ModelResponse> {
    const chain = chainFor(role) ?? [];
    const failures: string[] = [];
    let soonestRetryMs: number | null = null;
    let previous: { modelId: string; error: ModelError } | null = null;
    for (const modelId of chain) {
      const decision = breaker.check(modelId);
      if (decision.type === 'skip') {
        emit({ type: 'model-skipped', role, modelId, retryInMs: decision.retryInMs });
        failures.push(`${modelId} is cooling down after repeated failures`);
        soonestRetryMs = Math.min(soonestRetryMs ?? decision.retryInMs, decision.retryInMs);
        continue;
      }
      if (previous !== null) {
        emit({
          type: 'fallback',
          role,
          fromModelId: previous.modelId,
          toModelId: modelId,
          error: summarize(previous.error),
        });
      }
      const outcome = await tryModel(role, modelId, request, callOptions);
      if (outcome.type === 'ok') return outcome.response;
      previous = { modelId, error: outcome.error };
      failures.push(outcome.error.message);
      if (outcome.error.retryAfterMs !== null) {
        soonestRetryMs = Math.min(soonestRetryMs ?? outcome.error.retryAfterMs, outcome.error.retryAfterMs);
      }
    }
    const routerId = `router:${role}`;
    const error = new ModelError({
      type: 'unavailable',
      modelId: routerId,
      message: `every model for role "${role}" failed: ${failures.join('; ')}`,
      retryAfterMs: soonestRetryMs,
      cause: previous?.error,
    });
    emit({ type: 'call-failed', role, modelId: routerId, error: summarize(error) });
    throw error;
  }

  return {
    chainFor,
    breakerState: (modelId) => breaker.state(modelId),
    modelFor(role) {
      const chain = chainFor(role);
      if (chain === undefined || chain.length === 0) {
        const known = Object.keys(options.roles).join(', ') || 'none';
        throw new Error(`no model chain is configured for role "${role}" (configured roles: ${known})`);
      }
      return { id: `router:${role}`, generate: (request, callOptions) => route(role, request, callOptions) };
    },
  };
}
