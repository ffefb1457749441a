import type { FallbackCategory } from '../../protocol/index.ts';
import type { ModelError } from '../model-error.ts';

/**
 * The fallback category of a failure, matched against a chain's `fallbackOn`; null for an abort, which
 * never moves on to another model (the caller asked to stop).
 */
export function fallbackCategoryOf(error: ModelError): FallbackCategory | null {
  switch (error.type) {
    case 'rate-limit':
    case 'server':
    case 'timeout':
    case 'network':
    case 'stream-torn':
    case 'invalid-response':
    case 'unavailable':
      return 'retryable';
    case 'auth':
    case 'missing-credentials':
      return 'auth';
    case 'not-found':
      return 'not-found';
    case 'quota-exceeded':
      return 'quota';
    case 'context-overflow':
      return 'too-large';
    case 'content-policy':
      return 'content-policy';
    case 'bad-request':
      // An output cap the model does not accept is a request too large for this model, not a malformed one.
      return error.limitExceeded === null ? 'bad-request' : 'too-large';
    case 'aborted':
      return null;
  }
}
