import { createSeededRandom } from '../../llm/index.ts';
import type { SampleTally } from '../metrics/model-summary.ts';

/** A bootstrap interval of a difference in success rate, and whether it excludes zero. */
export interface BootstrapInterval {
  difference: number;
  low: number;
  high: number;
  /** The interval does not contain zero: the difference exceeds the noise. */
  significant: boolean;
}

function rate(tallies: readonly SampleTally[]): number {
  const scored = tallies.reduce((sum, tally) => sum + tally.scored, 0);
  return scored === 0 ? 0 : tallies.reduce((sum, tally) => sum + tally.successes, 0) / scored;
}

/**
 * A percentile bootstrap (95 % by default) of `candidate − baseline` success rate, resampling samples (the
 * unit that varies between suites) with replacement, each side independently; seeded so it repeats.
 */
export function bootstrapDifference(
  baseline: readonly SampleTally[],
  candidate: readonly SampleTally[],
  options: { iterations?: number; confidence?: number; seed?: number } = {},
): BootstrapInterval {
  const iterations = options.iterations ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = createSeededRandom(options.seed ?? 1);
  const resample = (tallies: readonly SampleTally[]) =>
    Array.from({ length: tallies.length }, () => tallies[Math.floor(random() * tallies.length)]!);
  const differences: number[] = [];
  for (let index = 0; index < iterations; index++)
    differences.push(rate(resample(candidate)) - rate(resample(baseline)));
  differences.sort((left, right) => left - right);
  const tail = (1 - confidence) / 2;
  const low = differences[Math.floor(tail * (iterations - 1))] ?? 0;
  const high = differences[Math.ceil((1 - tail) * (iterations - 1))] ?? 0;
  return { difference: rate(candidate) - rate(baseline), low, high, significant: low > 0 || high < 0 };
}
