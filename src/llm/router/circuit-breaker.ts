import type { BreakerPolicy, Clock } from '../../protocol/index.ts';
import type { RouterEventListener } from './router-events.ts';

/** Whether a model may be called now. */
export type BreakerDecision = { type: 'allow' } | { type: 'skip'; retryInMs: number };

/** The state of one model's breaker, for listings. */
export type BreakerState =
  | { type: 'closed'; failures: number }
  | { type: 'open'; until: number }
  | { type: 'half-open'; trialInFlight: boolean };

/** Skips a model that keeps failing for a cool-down, then lets one trial call through. */
export interface CircuitBreaker {
  check(modelId: string): BreakerDecision;
  recordSuccess(modelId: string): void;
  recordFailure(modelId: string): void;
  /** A call ended without telling whether the model works (it was aborted): let the next trial through. */
  recordAbandoned(modelId: string): void;
  state(modelId: string): BreakerState;
}

/** What a circuit breaker needs. */
export interface CircuitBreakerOptions {
  policy: BreakerPolicy;
  clock: Clock;
  onEvent: RouterEventListener;
}

/** Creates breakers keyed by model id, shared by every role that uses the model. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const states = new Map<string, BreakerState>();
  const stateOf = (modelId: string): BreakerState => states.get(modelId) ?? { type: 'closed', failures: 0 };

  function open(modelId: string, failures: number): void {
    states.set(modelId, { type: 'open', until: options.clock() + options.policy.coolDownMs });
    options.onEvent({ type: 'breaker-opened', modelId, failures, coolDownMs: options.policy.coolDownMs });
  }

  return {
    state: stateOf,
    check(modelId) {
      const state = stateOf(modelId);
      switch (state.type) {
        case 'closed':
          return { type: 'allow' };
        case 'open': {
          const now = options.clock();
          if (now < state.until) return { type: 'skip', retryInMs: state.until - now };
          states.set(modelId, { type: 'half-open', trialInFlight: true });
          options.onEvent({ type: 'breaker-half-open', modelId });
          return { type: 'allow' };
        }
        case 'half-open':
          // One trial at a time: others keep skipping until it tells us whether the model is back.
          if (state.trialInFlight) return { type: 'skip', retryInMs: 0 };
          states.set(modelId, { type: 'half-open', trialInFlight: true });
          return { type: 'allow' };
      }
    },
    recordSuccess(modelId) {
      const state = stateOf(modelId);
      states.set(modelId, { type: 'closed', failures: 0 });
      if (state.type !== 'closed') options.onEvent({ type: 'breaker-closed', modelId });
    },
    recordAbandoned(modelId) {
      const state = stateOf(modelId);
      if (state.type === 'half-open') states.set(modelId, { type: 'half-open', trialInFlight: false });
    },
    recordFailure(modelId) {
      const state = stateOf(modelId);
      switch (state.type) {
        case 'closed': {
          const failures = state.failures + 1;
          if (failures >= options.policy.failureThreshold) open(modelId, failures);
          else states.set(modelId, { type: 'closed', failures });
          return;
        }
        case 'half-open':
          open(modelId, 1);
          return;
        case 'open':
          return;
      }
    },
  };
}
