import { describe, expect, it } from 'vitest';
import { truncateOutput } from './truncate-output.ts';

describe('truncateOutput', () => {
  it('leaves short text alone', () => {
    expect(truncateOutput('hello', 10)).toEqual({ text: 'hello', cutCharacters: 0 });
  });

  it('keeps head and tail and says how much was cut', () => {
    const text = `${'a'.repeat(50)}\n${'b'.repeat(49)}\n${'c'.repeat(50)}`;
    const result = truncateOutput(text, 20);
    expect(result.cutCharacters).toBe(text.length - 20);
    expect(result.text.startsWith('a'.repeat(10))).toBe(true);
    expect(result.text.endsWith('c'.repeat(10))).toBe(true);
    expect(result.text).toContain(`${text.length - 20} of ${text.length} characters (2 lines) cut`);
  });

  it('does not split a surrogate pair', () => {
    const result = truncateOutput('😀'.repeat(20), 5);
    expect(result.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(result.text).not.toMatch(/(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
