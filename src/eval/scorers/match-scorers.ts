import { binaryScore, type Scorer } from './scorer.ts';

/** Lowercase, trimmed, inner whitespace collapsed, trailing punctuation dropped: how answers are compared. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!;:,\s]+$/, '')
    .trim();
}

/** Passes when the answer equals the reference exactly, or after normalizing both when `normalized`. */
export function createExactMatchScorer(options: { normalized: boolean }): Scorer {
  const name = options.normalized ? 'normalized-match' : 'exact-match';
  return {
    name,
    async score({ answer, sample }) {
      if (answer === null) return binaryScore(name, false, 'no answer');
      const passed = options.normalized
        ? normalizeAnswer(answer) === normalizeAnswer(sample.reference)
        : answer === sample.reference;
      return binaryScore(name, passed, `answer "${answer}", reference "${sample.reference}"`);
    },
  };
}

/** Passes when the answer, read as a comma-separated list, has the same items as the reference in any order. */
export function createSetMatchScorer(): Scorer {
  const items = (text: string) =>
    [
      ...new Set(
        text
          .split(',')
          .map(normalizeAnswer)
          .filter((item) => item !== '' && item !== 'none'),
      ),
    ].sort();
  return {
    name: 'set-match',
    async score({ answer, sample }) {
      if (answer === null) return binaryScore('set-match', false, 'no answer');
      const got = items(answer);
      const want = items(sample.reference);
      const passed = got.length === want.length && got.every((item, index) => item === want[index]);
      return binaryScore('set-match', passed, `answer [${got.join(', ')}], reference [${want.join(', ')}]`);
    },
  };
}

/** The first number in a text, ignoring thousands separators and a leading `$`; null when there is none. */
export function parseNumber(text: string): number | null {
  const match = text.replace(/(\d),(?=\d{3}\b)/g, '$1').match(/-?\d+(?:\.\d+)?/);
  return match === null ? null : Number(match[0]);
}

/** Passes when the answer's number is within `relative` (fraction) or `absolute` of the reference. */
export function createNumericToleranceScorer(options: { relative?: number; absolute?: number }): Scorer {
  return {
    name: 'numeric-tolerance',
    async score({ answer, sample }) {
      const want = parseNumber(sample.reference);
      if (want === null)
        throw new Error(`sample ${sample.id}: reference "${sample.reference}" is not a number`);
      const got = answer === null ? null : parseNumber(answer);
      if (got === null) return binaryScore('numeric-tolerance', false, 'no number in the answer');
      const allowed = Math.max(options.absolute ?? 0, Math.abs(want) * (options.relative ?? 0));
      const difference = Math.abs(got - want);
      return binaryScore(
        'numeric-tolerance',
        difference <= allowed,
        `answer ${got}, reference ${want}, off by ${difference} (allowed ${allowed})`,
      );
    },
  };
}
