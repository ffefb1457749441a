import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorContext } from './classify-error.ts';

const context: ErrorContext = {
  modelId: 'openai:x',
  now: 0,
  aborted: false,
  timedOut: false,
  streaming: false,
};

function apiError(statusCode: number | undefined, message: string, responseBody = ''): APICallError {
  return new APICallError({
    message,
    url: 'http://x/messages',
    requestBodyValues: {},
    statusCode,
    responseBody,
  });
}

describe('classifyError', () => {
  it('tells quota from rate limits and spots content policy refusals', () => {
    expect(classifyError(apiError(429, 'You exceeded your current quota'), context).type).toBe(
      'quota-exceeded',
    );
    expect(classifyError(apiError(429, 'Rate limit reached'), context).type).toBe('rate-limit');
    expect(
      classifyError(apiError(400, 'Your request was rejected by our content_policy'), context),
    ).toMatchObject({
      type: 'content-policy',
      retryable: false,
    });
    expect(classifyError(apiError(404, 'model not found'), context).type).toBe('not-found');
    expect(classifyError(apiError(529, 'Overloaded'), context).type).toBe('server');
  });

  it('uses what was going on: aborts, timeouts, connection failures before and during a stream', () => {
    expect(classifyError(new Error('x'), { ...context, aborted: true }).type).toBe('aborted');
    expect(classifyError(new Error('x'), { ...context, timedOut: true, aborted: true }).type).toBe('timeout');
    const refused = classifyError(
      apiError(undefined, 'Cannot connect to API: connect ECONNREFUSED 127.0.0.1:9'),
      context,
    );
    expect(refused).toMatchObject({ type: 'network', retryable: true });
    expect(refused.message).toMatch(
      /^openai:x: cannot connect to http:\/\/x\/messages: connect ECONNREFUSED 127\.0\.0\.1:9 \(check the base URL/,
    );
    expect(classifyError(new TypeError('terminated'), { ...context, streaming: true }).type).toBe(
      'stream-torn',
    );
  });

  it('classifies error payloads that providers put into their streams', () => {
    const overloaded = classifyError(
      { type: 'overloaded_error', message: 'Overloaded' },
      { ...context, streaming: true },
    );
    expect(overloaded).toMatchObject({ type: 'server', retryable: true });
    expect(overloaded.message).toContain('overloaded_error');
    expect(classifyError({ code: 'context_length_exceeded' }, context).type).toBe('context-overflow');
  });

  it("tells a too-large output request from a context overflow, in each provider's words", () => {
    const outputTooLarge = [
      'max_tokens is too large: 100000. This model supports at most 16384 completion tokens, whereas you provided 100000.',
      "Invalid 'max_output_tokens': integer above maximum value. Expected a value <= 128000, but got 200000 instead.",
      'max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-opus-4-5',
      "'max_tokens' or 'max_completion_tokens' is too large: 16000. This model's maximum context length is 32768 tokens and your request has 20000 input tokens (16000 > 32768 - 20000).",
    ];
    for (const message of outputTooLarge) {
      const error = classifyError(apiError(400, message), context);
      expect(error).toMatchObject({ type: 'bad-request', limitExceeded: 'output', retryable: false });
      expect(error.message).toContain('set limits["openai:x"].maxOutputTokens');
    }
    const overflow = classifyError(
      apiError(400, "This model's maximum context length is 128000 tokens."),
      context,
    );
    expect(overflow).toMatchObject({ type: 'context-overflow', limitExceeded: 'context' });
    expect(classifyError(apiError(400, 'the request exceeds the available context size'), context).type).toBe(
      'context-overflow',
    );
    expect(classifyError(apiError(413, 'request_too_large'), context).type).toBe('context-overflow');
    expect(classifyError(apiError(400, 'max_tokens must be at least 1'), context)).toMatchObject({
      type: 'bad-request',
      limitExceeded: null,
    });
  });

  it('calls an empty account quota whatever status it comes with, and names the URL of a 404', () => {
    const credit = 'Your credit balance is too low to access the Anthropic API.';
    expect(classifyError(apiError(400, credit), context).type).toBe('quota-exceeded');
    expect(classifyError(apiError(402, 'Insufficient Balance'), context).type).toBe('quota-exceeded');
    expect(classifyError(apiError(403, 'billing_not_active'), context).type).toBe('quota-exceeded');
    expect(classifyError(apiError(401, 'invalid api key'), context).type).toBe('auth');
    expect(classifyError(apiError(404, 'Not Found'), context).message).toMatch(
      /check the model name, and the base URL: http:\/\/x\/messages was not found/,
    );
    expect(classifyError({ type: 'not_found_error', message: 'model: x' }, context).type).toBe('not-found');
    expect(classifyError({ code: 'insufficient_quota', type: 'rate_limit' }, context).type).toBe(
      'quota-exceeded',
    );
  });
});
