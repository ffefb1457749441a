/** What went wrong in a model call; decides whether the router retries, falls back or gives up. */
export type ModelErrorType =
  | 'rate-limit'
  | 'quota-exceeded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'stream-torn'
  | 'invalid-response'
  | 'auth'
  | 'missing-credentials'
  | 'context-overflow'
  | 'content-policy'
  | 'not-found'
  | 'bad-request'
  | 'aborted'
  | 'unavailable';

/** Whether a failure of this type may succeed when tried again. */
export function isRetryableType(type: ModelErrorType): boolean {
  switch (type) {
    case 'rate-limit':
    case 'server':
    case 'timeout':
    case 'network':
    case 'stream-torn':
    case 'invalid-response':
    case 'unavailable':
      return true;
    case 'quota-exceeded':
    case 'auth':
    case 'missing-credentials':
    case 'context-overflow':
    case 'content-policy':
    case 'not-found':
    case 'bad-request':
    case 'aborted':
      return false;
  }
}

/**
 * Which of the model's limits a request broke, when the provider said so: the context window
 * (`context-overflow`) or the output cap (a `bad-request` such as "max_tokens is too large").
 */
export type LimitExceeded = 'context' | 'output';

/** What a ModelError is built from. */
export interface ModelErrorOptions {
  type: ModelErrorType;
  message: string;
  modelId: string;
  statusCode?: number | null;
  retryAfterMs?: number | null;
  /** Defaults to `context` for `context-overflow` and null otherwise. */
  limitExceeded?: LimitExceeded | null;
  cause?: unknown;
}

/** The one error a Model call rejects with; `type` tags the failure so callers can switch on it. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly type: ModelErrorType;
  readonly retryable: boolean;
  /** How long the provider asked us to wait (from Retry-After), when it said. */
  readonly retryAfterMs: number | null;
  readonly statusCode: number | null;
  readonly modelId: string;
  readonly limitExceeded: LimitExceeded | null;

  constructor(options: ModelErrorOptions) {
    super(`${options.modelId}: ${options.message}`, { cause: options.cause });
    this.type = options.type;
    this.retryable = isRetryableType(options.type);
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.statusCode = options.statusCode ?? null;
    this.modelId = options.modelId;
    this.limitExceeded = options.limitExceeded ?? (options.type === 'context-overflow' ? 'context' : null);
  }
}

/** Whether a value is a ModelError (also across module copies). */
export function isModelError(value: unknown): value is ModelError {
  return (
    value instanceof ModelError || (value instanceof Error && value.name === 'ModelError' && 'type' in value)
  );
}
