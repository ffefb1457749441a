import { APICallError } from '@ai-sdk/provider';
import { isModelError, ModelError, type ModelErrorType } from './model-error.ts';
import { parseRetryAfter } from './retry-after.ts';

/** What was going on when the error happened, which changes what it means. */
export interface ErrorContext {
  modelId: string;
  now: number;
  /** The caller's signal fired: the failure is an abort whatever it looks like. */
  aborted: boolean;
  /** Our own call timeout fired. */
  timedOut: boolean;
  /** Bytes had started to stream: a connection error now is a torn stream. */
  streaming: boolean;
}

const contextOverflowPattern =
  /context[_ ]length|maximum context|context window|prompt is too long|too many (input )?tokens|input is too long|exceeds? the (model's )?context/i;
const contentPolicyPattern = /content[_ ]policy|content[_ ]filter|safety system|usage polic|flagged as/i;
const quotaPattern = /insufficient_quota|exceeded your current quota|credit balance is too low/i;

function typeFromStatus(statusCode: number, text: string): ModelErrorType {
  if (statusCode === 401 || statusCode === 403) return 'auth';
  if (statusCode === 429) return quotaPattern.test(text) ? 'quota-exceeded' : 'rate-limit';
  if (statusCode === 408) return 'timeout';
  if (statusCode === 404) return 'not-found';
  if (statusCode === 409 || statusCode >= 500) return 'server';
  if (contextOverflowPattern.test(text)) return 'context-overflow';
  if (contentPolicyPattern.test(text)) return 'content-policy';
  return 'bad-request';
}

/** Maps the error objects providers put into their streams (`{ type: 'overloaded_error' }` and kin). */
function typeFromErrorPayload(text: string): ModelErrorType {
  if (/rate_limit/i.test(text)) return quotaPattern.test(text) ? 'quota-exceeded' : 'rate-limit';
  if (contextOverflowPattern.test(text)) return 'context-overflow';
  if (contentPolicyPattern.test(text)) return 'content-policy';
  if (/authentication|permission|invalid.api.key/i.test(text)) return 'auth';
  if (/invalid_request/i.test(text)) return 'bad-request';
  return 'server';
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function advice(type: ModelErrorType): string {
  switch (type) {
    case 'auth':
      return ' (check the API key for this provider)';
    case 'context-overflow':
      return ' (the conversation is longer than the model accepts; compact it or use a model with a larger window)';
    case 'content-policy':
      return ' (the provider refused the content)';
    case 'quota-exceeded':
      return ' (the account is out of quota or credit)';
    case 'not-found':
      return ' (check the model name)';
    default:
      return '';
  }
}

/** Turns anything a provider threw (or put into its stream) into a typed ModelError. */
export function classifyError(error: unknown, context: ErrorContext): ModelError {
  if (isModelError(error)) return error;
  const base = { modelId: context.modelId, cause: error };
  if (context.timedOut) {
    return new ModelError({ ...base, type: 'timeout', message: 'the call timed out' });
  }
  if (context.aborted) {
    return new ModelError({ ...base, type: 'aborted', message: 'the call was aborted' });
  }
  if (APICallError.isInstance(error)) {
    const retryAfterMs = parseRetryAfter(error.responseHeaders, context.now);
    if (error.statusCode === undefined) {
      const type: ModelErrorType = context.streaming ? 'stream-torn' : 'network';
      return new ModelError({ ...base, type, message: error.message, retryAfterMs });
    }
    if (error.statusCode >= 200 && error.statusCode < 300) {
      // The SDK wraps failures while reading a successful response: a dropped stream or a garbled body.
      const type: ModelErrorType = context.streaming ? 'stream-torn' : 'invalid-response';
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return new ModelError({
        ...base,
        type,
        message: `${error.message}${cause}`,
        statusCode: error.statusCode,
      });
    }
    const text = `${error.message} ${error.responseBody ?? ''}`;
    const type = typeFromStatus(error.statusCode, text);
    const message = `HTTP ${error.statusCode}: ${error.message}${advice(type)}`;
    return new ModelError({ ...base, type, message, statusCode: error.statusCode, retryAfterMs });
  }
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') {
      return new ModelError({ ...base, type: 'aborted', message: 'the call was aborted' });
    }
    if (error.name === 'AI_JSONParseError' || error.name === 'AI_TypeValidationError') {
      return new ModelError({
        ...base,
        type: 'invalid-response',
        message: `unreadable response: ${error.message}`,
      });
    }
    const type: ModelErrorType = context.streaming ? 'stream-torn' : 'network';
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return new ModelError({ ...base, type, message: `${error.message}${cause}` });
  }
  const text = describe(error);
  const type = typeFromErrorPayload(text);
  return new ModelError({ ...base, type, message: `provider reported an error: ${text}${advice(type)}` });
}
