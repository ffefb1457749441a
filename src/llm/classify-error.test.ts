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
  return new APICallError({ message, url: 'http://x', requestBodyValues: {}, statusCode, responseBody });
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
    expect(classifyError(apiError(undefined, 'Cannot connect to API'), context).type).toBe('network');
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
});
