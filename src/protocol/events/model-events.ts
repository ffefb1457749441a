import { z } from 'zod';
import { FallbackCategory } from '../model-config.ts';
import { eventOf } from './define-event.ts';

/** The part of a model error worth recording on the board. */
export const ErrorSummary = z.object({
  /** A ModelErrorType of the llm module. */
  type: z.string(),
  message: z.string(),
  statusCode: z.number().nullable(),
  limitExceeded: z.enum(['context', 'output']).nullable(),
});

/** Why the router stopped trying one model within a call. */
export const GiveUpReason = z.enum([
  'not-retryable',
  'retry-budget-spent',
  'max-attempts',
  'retry-after-too-long',
  'breaker-open',
]);

/** Why a routed call failed. */
export const CallFailedReason = z.enum(['fallback-not-allowed', 'chain-exhausted']);

/**
 * The router's decisions, keyed by their short type; each is stored as `model.<type>` with the
 * whole router event (its `type` included) as the payload.
 */
export const routerEventSchemas = {
  retry: z.object({
    type: z.literal('retry'),
    role: z.string(),
    modelId: z.string(),
    attempt: z.number(),
    delayMs: z.number(),
    elapsedMs: z.number(),
    error: ErrorSummary,
  }),
  fallback: z.object({
    type: z.literal('fallback'),
    role: z.string(),
    fromModelId: z.string(),
    toModelId: z.string(),
    category: FallbackCategory,
    reason: GiveUpReason,
    attempts: z.number(),
    elapsedMs: z.number(),
    error: ErrorSummary,
  }),
  'model-skipped': z.object({
    type: z.literal('model-skipped'),
    role: z.string(),
    modelId: z.string(),
    retryInMs: z.number(),
  }),
  'call-failed': z.object({
    type: z.literal('call-failed'),
    role: z.string(),
    modelId: z.string(),
    reason: CallFailedReason,
    category: FallbackCategory.nullable(),
    attempts: z.number(),
    elapsedMs: z.number(),
    error: ErrorSummary,
  }),
  'breaker-opened': z.object({
    type: z.literal('breaker-opened'),
    modelId: z.string(),
    failures: z.number(),
    coolDownMs: z.number(),
  }),
  'breaker-half-open': z.object({ type: z.literal('breaker-half-open'), modelId: z.string() }),
  'breaker-closed': z.object({ type: z.literal('breaker-closed'), modelId: z.string() }),
} as const;

/** A decision of the model router, as the board stores it. */
export const RouterEventPayload = z.discriminatedUnion('type', [
  routerEventSchemas.retry,
  routerEventSchemas.fallback,
  routerEventSchemas['model-skipped'],
  routerEventSchemas['call-failed'],
  routerEventSchemas['breaker-opened'],
  routerEventSchemas['breaker-half-open'],
  routerEventSchemas['breaker-closed'],
]);
/** A decision of the model router, as the board stores it. */
export type RouterEventPayload = z.infer<typeof RouterEventPayload>;

/** The router's `model.*` events. */
export const modelEvents = [
  eventOf('model.retry', routerEventSchemas.retry.loose()),
  eventOf('model.fallback', routerEventSchemas.fallback.loose()),
  eventOf('model.model-skipped', routerEventSchemas['model-skipped'].loose()),
  eventOf('model.call-failed', routerEventSchemas['call-failed'].loose()),
  eventOf('model.breaker-opened', routerEventSchemas['breaker-opened'].loose()),
  eventOf('model.breaker-half-open', routerEventSchemas['breaker-half-open'].loose()),
  eventOf('model.breaker-closed', routerEventSchemas['breaker-closed'].loose()),
] as const;
