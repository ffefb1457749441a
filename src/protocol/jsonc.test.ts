import { describe, expect, it } from 'vitest';
import { parseJsonc } from './jsonc.ts';

describe('parseJsonc', () => {
  it('drops comments and trailing commas but keeps comment-like text inside strings', () => {
    const text = `{
      // the fleet
      "url": "http://example.test/a//b", /* inline */
      "list": [1, 2,],
      "quote": "say \\"// not a comment\\"",
    }`;
    expect(parseJsonc(text)).toEqual({
      url: 'http://example.test/a//b',
      list: [1, 2],
      quote: 'say "// not a comment"',
    });
  });

  it('reports malformed input as a SyntaxError', () => {
    expect(() => parseJsonc('{ "a": 1 /* open')).toThrow(SyntaxError);
    expect(() => parseJsonc('{ "a": }')).toThrow(SyntaxError);
  });
});
