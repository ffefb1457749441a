import {
  type BreakerPolicy,
  type Clock,
  defaultFallbackOn,
  type FallbackCategory,
  type ModelLimits,
  type RetryPolicy,
} from '../../protocol/index.ts';
import { sleep as realSleep, type Sleep } from '../abortable.ts';
import {
  type EffectiveModelLimits,
  modelLimitsFor,
  type RoleLimits,
  roleLimitsFor,
} from '../limits/model-limits.ts';
import type { Model, ModelCallOptions, ModelRequest, ModelResponse } from '../model.ts';
import type { ModelError } from '../model-error.ts';
import { resolveRoleChain, settingForRole } from '../role-chain.ts';
import {
  type ChainFailures,
  createChainFailures,
  exhaustedError,
  recordGiveUp,
  recordSkip,
  refusedFallbackError,
} from './chain-failures.ts';
import { type BreakerState, createCircuitBreaker } from './circuit-breaker.ts';
import type { CallFailedReason, RouterEvent, RouterEventListener } from './router-events.ts';
import { type AttemptContext, type RoutedCall, summarize, tryModel } from './try-model.ts';

/** What a router is built from; clock, sleep and random are injected so tests control time. */
export interface ModelRouterOptions {
  /** Role → ordered chain of model ids; a `default` chain serves roles that have none. */
  roles: Readonly<Record<string, readonly string[]>>;
  /** Builds a model for an id; may throw a ModelError (for example missing credentials). */
  createModel: (modelId: string) => Model;
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  /** Role (or `default`) → the failure categories its chain falls back on; `defaultFallbackOn` otherwise. */
  fallbackOn?: Readonly<Record<string, readonly FallbackCategory[]>>;
  /** Per-model limits from the config, keyed by model id or `<provider>:*`; built-in defaults fill the rest. */
  limits?: Readonly<Record<string, ModelLimits>>;
  onEvent?: RouterEventListener;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
}

/** Hands out one routed Model per role; all roles share the models' circuit breakers. */
export interface ModelRouter {
  /** The routed model for a role; its id is `router:<role>`. Throws when no chain serves the role. */
  modelFor(role: string): Model;
  /** The chain that serves a role (its own, else `default`), or undefined. */
  chainFor(role: string): readonly string[] | undefined;
  /** The context window and output cap of one model id; its adapter clamps requests to that cap. */
  modelLimitsFor(modelId: string): EffectiveModelLimits;
  /** The smallest window and output cap over the chain serving a role; throws when no chain serves it. */
  roleLimitsFor(role: string): RoleLimits;
  breakerState(modelId: string): BreakerState;
}

/**
 * Creates a router. Each call tries the role's chain in order. Retryable failures are retried with backoff
 * (honoring Retry-After) while the call's time budget lasts; a failure whose category is in the chain's
 * `fallbackOn` moves on to the next model; anything else, and aborts, surface at once. A model whose
 * breaker is open is skipped, unless it is the last of the chain.
 */
export function createModelRouter(options: ModelRouterOptions): ModelRouter {
  const clock = options.clock ?? Date.now;
  const emit = (event: RouterEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken listener must not turn a good model call into a failure.
    }
  };
  const breaker = createCircuitBreaker({ policy: options.breaker, clock, onEvent: emit });
  const models = new Map<string, Model>();
  const limitsConfig = { roles: options.roles, limits: options.limits ?? {} };
  const context: AttemptContext = {
    retry: options.retry,
    breaker,
    emit,
    clock,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    modelById(modelId) {
      let model = models.get(modelId);
      if (model === undefined) {
        model = options.createModel(modelId);
        models.set(modelId, model);
      }
      return model;
    },
  };

  function chainFor(role: string): readonly string[] | undefined {
    const resolved = resolveRoleChain(options.roles, role);
    return resolved.type === 'missing' ? undefined : resolved.chain;
  }

  /** Records the move from the model that last gave up to the next one tried. */
  function fallbackEvent(role: string, failures: ChainFailures, toModelId: string, elapsedMs: number) {
    const last = failures.last;
    if (last === null) return;
    emit({
      type: 'fallback',
      role,
      fromModelId: last.modelId,
      toModelId,
      category: last.category,
      reason: last.outcome.reason,
      attempts: last.outcome.attempts,
      elapsedMs,
      error: summarize(last.outcome.error),
    });
  }

  /** Records why a call failed on the board and hands back the error to throw. */
  function callFailed(
    role: string,
    failures: ChainFailures,
    failed: { modelId: string; reason: CallFailedReason; error: ModelError; elapsedMs: number },
  ): ModelError {
    const { attempts, last } = failures;
    const { error, ...rest } = failed;
    emit({
      type: 'call-failed',
      role,
      category: last?.category ?? null,
      attempts,
      ...rest,
      error: summarize(error),
    });
    return error;
  }

  async function route(
    role: string,
    request: ModelRequest,
    callOptions: ModelCallOptions,
  ): Promise<ModelResponse> {
    const chain = chainFor(role) ?? [];
    const fallbackOn = new Set(settingForRole(options.fallbackOn ?? {}, role) ?? defaultFallbackOn);
    const call: RoutedCall = { role, request, callOptions, startedAt: clock() };
    const elapsed = () => clock() - call.startedAt;
    const failures = createChainFailures();
    for (const [index, modelId] of chain.entries()) {
      const laterModels = index < chain.length - 1;
      const decision = breaker.check(modelId);
      if (decision.type === 'skip' && laterModels) {
        emit({ type: 'model-skipped', role, modelId, retryInMs: decision.retryInMs });
        recordSkip(failures, modelId, decision.retryInMs);
        continue;
      }
      fallbackEvent(role, failures, modelId, elapsed());
      const outcome = await tryModel(context, call, modelId, laterModels);
      if (outcome.type === 'ok') return outcome.response;
      const category = recordGiveUp(failures, modelId, outcome, elapsed(), options.retry);
      if (!fallbackOn.has(category)) {
        const error = refusedFallbackError(modelId, outcome, elapsed(), options.retry);
        throw callFailed(role, failures, {
          modelId,
          reason: 'fallback-not-allowed',
          error,
          elapsedMs: elapsed(),
        });
      }
    }
    const error = exhaustedError(role, failures);
    const routerId = `router:${role}`;
    throw callFailed(role, failures, {
      modelId: routerId,
      reason: 'chain-exhausted',
      error,
      elapsedMs: elapsed(),
    });
  }

  return {
    chainFor,
    breakerState: (modelId) => breaker.state(modelId),
    modelLimitsFor: (modelId) => modelLimitsFor(limitsConfig, modelId),
    roleLimitsFor: (role) => roleLimitsFor(limitsConfig, role),
    modelFor(role) {
      const resolved = resolveRoleChain(options.roles, role);
      if (resolved.type === 'missing') throw new Error(resolved.message);
      return {
        id: `router:${role}`,
        generate: (request, callOptions) => route(role, request, callOptions),
      };
    },
  };
}
