import type { FallbackCategory } from '../../protocol/index.ts';
import type { LimitExceeded, ModelErrorType } from '../model-error.ts';

/** The part of a ModelError worth recording on the board. */
export interface ErrorSummary {
  type: ModelErrorType;
  message: string;
  statusCode: number | null;
  limitExceeded: LimitExceeded | null;
}

/** Why the router stopped trying one model within a call. */
export type GiveUpReason =
  /** The failure cannot turn into a success on the same model (401, 404, quota, bad request…). */
  | 'not-retryable'
  /** Waiting for the next retry would take the call past `retry.maxElapsedMs`. */
  | 'retry-budget-spent'
  /** `retry.maxAttempts` attempts failed. */
  | 'max-attempts'
  /** The provider asked for a wait longer than `retry.maxRetryAfterMs`. */
  | 'retry-after-too-long'
  /** The model's breaker opened and a later model of the chain can serve instead. */
  | 'breaker-open';

/** Why a routed call failed: its chain does not fall back on this kind of failure, or it ran out of models. */
export type CallFailedReason = 'fallback-not-allowed' | 'chain-exhausted';

/**
 * A decision the router made; each becomes an event on the board (`model.retry`, `model.fallback`, …),
 * whose payload schema is the event catalog's RouterEventPayload (src/protocol/events/model-events.ts):
 * the orchestrator's append checks at compile time that this type fits it.
 * `elapsedMs` counts from the start of the routed call, the clock the retry budget runs on.
 */
export type RouterEvent =
  | {
      type: 'retry';
      role: string;
      modelId: string;
      attempt: number;
      delayMs: number;
      elapsedMs: number;
      error: ErrorSummary;
    }
  | {
      type: 'fallback';
      role: string;
      fromModelId: string;
      toModelId: string;
      /** The failure's category, found in the chain's `fallbackOn`. */
      category: FallbackCategory;
      reason: GiveUpReason;
      /** Attempts spent on `fromModelId`. */
      attempts: number;
      elapsedMs: number;
      error: ErrorSummary;
    }
  | { type: 'model-skipped'; role: string; modelId: string; retryInMs: number }
  | {
      type: 'call-failed';
      role: string;
      /** The model that failed, or `router:<role>` when the whole chain did. */
      modelId: string;
      reason: CallFailedReason;
      category: FallbackCategory | null;
      /** Attempts over the whole chain. */
      attempts: number;
      elapsedMs: number;
      error: ErrorSummary;
    }
  | { type: 'breaker-opened'; modelId: string; failures: number; coolDownMs: number }
  | { type: 'breaker-half-open'; modelId: string }
  | { type: 'breaker-closed'; modelId: string };

/** Receives router decisions; must not throw (a throwing listener is ignored so calls still complete). */
export type RouterEventListener = (event: RouterEvent) => void;

/** The board event type for a router event, e.g. `model.retry`, `model.breaker-opened`. */
export function routerEventType(event: RouterEvent): `model.${RouterEvent['type']}` {
  return `model.${event.type}`;
}
