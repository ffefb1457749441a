import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.ts';

describe('parseRetryAfter', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter({ 'Retry-After': '7' }, 0)).toBe(7000);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, 0)).toBe(250);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, now)).toBe(30_000);
  });

  it('ignores missing or garbled values', () => {
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(parseRetryAfter({ 'retry-after': 'soon' }, 0)).toBeNull();
    expect(parseRetryAfter({}, 0)).toBeNull();
  });
});
