import type { Sample, TrialEnvironment } from '../suite.ts';
import { binaryScore, type Scorer } from './scorer.ts';

/** A check over a trial's end state (a database, a repository, files). */
export type StateCheck = (
  environment: TrialEnvironment,
  sample: Sample,
  signal: AbortSignal,
) => Promise<{ passed: boolean; explanation: string }>;

/** Grades the end state rather than the transcript. */
export function createStateCheckScorer(name: string, check: StateCheck): Scorer {
  return {
    name,
    async score({ environment, sample, signal }) {
      const verdict = await check(environment, sample, signal);
      return binaryScore(name, verdict.passed, verdict.explanation);
    },
  };
}
