import type { ModelErrorType } from '../model-error.ts';

/** The part of a ModelError worth recording on the board. */
export interface ErrorSummary {
  type: ModelErrorType;
  message: string;
  statusCode: number | null;
}

/** A decision the router made; each becomes an event on the board (`model.retry`, `model.fallback`, …). */
export type RouterEvent =
  | { type: 'retry'; role: string; modelId: string; attempt: number; delayMs: number; error: ErrorSummary }
  | { type: 'fallback'; role: string; fromModelId: string; toModelId: string; error: ErrorSummary }
  | { type: 'model-skipped'; role: string; modelId: string; retryInMs: number }
  | { type: 'call-failed'; role: string; modelId: string; error: ErrorSummary }
  | { type: 'breaker-opened'; modelId: string; failures: number; coolDownMs: number }
  | { type: 'breaker-half-open'; modelId: string }
  | { type: 'breaker-closed'; modelId: string };

/** Receives router decisions; must not throw (a throwing listener is ignored so calls still complete). */
export type RouterEventListener = (event: RouterEvent) => void;

/** The board event type for a router event, e.g. `model.retry`, `model.breaker-opened`. */
export function routerEventType(event: RouterEvent): `model.${RouterEvent['type']}` {
  return `model.${event.type}`;
}
