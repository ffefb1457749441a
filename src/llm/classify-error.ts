import { APICallError } from '@ai-sdk/provider';
import { isModelError, type LimitExceeded, ModelError, type ModelErrorType } from './model-error.ts';
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
  /context[_ ]length|maximum context|context window|context size|prompt is too long|too many (input )?tokens|input is too long|input token count|exceeds? the (model's )?context/i;
/** A request for more output than the model may produce (OpenAI, Anthropic, vLLM phrasings). */
const outputLimitPattern =
  /(max_tokens|max_output_tokens|max_completion_tokens|output tokens|completion tokens)[^.]*(too large|above max|at most|exceed|> ?\d)|maximum allowed number of output tokens/i;
const contentPolicyPattern = /content[_ ]policy|content[_ ]filter|safety system|usage polic|flagged as/i;
const quotaPattern =
  /insufficient_quota|exceeded your current quota|credit balance is too low|billing_hard_limit|billing_not_active|insufficient (balance|credits?|funds)/i;

interface Classified {
  type: ModelErrorType;
  limitExceeded: LimitExceeded | null;
}

function classified(type: ModelErrorType, limitExceeded: LimitExceeded | null = null): Classified {
  return { type, limitExceeded };
}

/** Reads the body of a 4xx that is none of the statuses with a fixed meaning. */
function typeFromRequestText(text: string): Classified {
  // Before the context check: vLLM's "max_tokens is too large" also quotes the maximum context length.
  if (outputLimitPattern.test(text)) return classified('bad-request', 'output');
  if (contextOverflowPattern.test(text)) return classified('context-overflow');
  if (contentPolicyPattern.test(text)) return classified('content-policy');
  return classified('bad-request');
}

function typeFromStatus(statusCode: number, text: string): Classified {
  if (statusCode === 402 || (statusCode !== 401 && statusCode < 500 && quotaPattern.test(text))) {
    return classified('quota-exceeded');
  }
  if (statusCode === 401 || statusCode === 403) return classified('auth');
  if (statusCode === 429) return classified('rate-limit');
  if (statusCode === 408) return classified('timeout');
  if (statusCode === 404) return classified('not-found');
  if (statusCode === 413) return classified('context-overflow');
  if (statusCode === 409 || statusCode >= 500) return classified('server');
  return typeFromRequestText(text);
}

/** Maps the error objects providers put into their streams (`{ type: 'overloaded_error' }` and kin). */
function typeFromErrorPayload(text: string): Classified {
  if (quotaPattern.test(text)) return classified('quota-exceeded');
  if (/rate_limit/i.test(text)) return classified('rate-limit');
  if (/not_found/i.test(text)) return classified('not-found');
  if (/authentication|permission|invalid.api.key/i.test(text)) return classified('auth');
  if (outputLimitPattern.test(text) || contextOverflowPattern.test(text) || contentPolicyPattern.test(text)) {
    return typeFromRequestText(text);
  }
  if (/invalid_request/i.test(text)) return classified('bad-request');
  return classified('server');
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

/** A hint saying what to do, from what went wrong and where the request went. */
function advice(found: Classified, modelId: string, url: string | null): string {
  if (found.limitExceeded === 'output') {
    return ` (the model accepts fewer output tokens than were asked for: set limits["${modelId}"].maxOutputTokens in the models config)`;
  }
  switch (found.type) {
    case 'auth':
      return ' (check the API key for this provider)';
    case 'context-overflow':
      return ` (the conversation is longer than the model accepts; compact it, use a model with a larger window, or correct limits["${modelId}"].contextWindowTokens in the models config)`;
    case 'content-policy':
      return ' (the provider refused the content)';
    case 'quota-exceeded':
      return ' (the account is out of quota or credit)';
    case 'not-found':
      return url === null
        ? ' (check the model name)'
        : ` (check the model name, and the base URL: ${url} was not found)`;
    default:
      return '';
  }
}

/**
 * A request that reached no server: the URL comes first, so a wrong base URL or port is plain even
 * when the message is clipped further up ("connect ECONNREFUSED 127.0.0.1:8000" alone names no path).
 */
function unreachable(error: APICallError): string {
  const reason = error.message.replace(/^Cannot connect to API:\s*/, '');
  return `cannot connect to ${error.url}: ${reason} (check the base URL, and that the server is running)`;
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
      if (context.streaming) {
        return new ModelError({ ...base, type: 'stream-torn', message: error.message, retryAfterMs });
      }
      return new ModelError({ ...base, type: 'network', message: unreachable(error), retryAfterMs });
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
    const found = typeFromStatus(error.statusCode, text);
    const message = `HTTP ${error.statusCode}: ${error.message}${advice(found, context.modelId, error.url)}`;
    return new ModelError({ ...base, ...found, message, statusCode: error.statusCode, retryAfterMs });
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
  const found = typeFromErrorPayload(text);
  const message = `provider reported an error: ${text}${advice(found, context.modelId, null)}`;
  return new ModelError({ ...base, ...found, message });
}
