import type { Sample, ScoreCombination, TrialEnvironment } from '../sample.ts';

/** What a scorer looks at: the sample, the agent's answer and final text, and the end state of the trial. */
export interface ScoreInput {
  sample: Sample;
  /** The extracted answer, or null when the agent gave none. */
  answer: string | null;
  finalText: string;
  environment: TrialEnvironment;
  signal: AbortSignal;
}

/** One scorer's verdict; `value` is in [0, 1]. Model-graded scorers report what grading cost. */
export interface Score {
  scorer: string;
  value: number;
  passed: boolean;
  explanation: string;
  gradingCostUsd: number;
}

/** Grades one aspect of a trial. */
export interface Scorer {
  name: string;
  score(input: ScoreInput): Promise<Score>;
}

/** A score built from a pass/fail check. */
export function binaryScore(scorer: string, passed: boolean, explanation: string): Score {
  return { scorer, value: passed ? 1 : 0, passed, explanation, gradingCostUsd: 0 };
}

/** The verdict of several scores: a product (all must pass) or a mean against a threshold. */
export function combineScores(
  scores: readonly Score[],
  combination: ScoreCombination,
): { value: number; passed: boolean } {
  if (scores.length === 0) return { value: 0, passed: false };
  switch (combination.type) {
    case 'product':
      return {
        value: scores.reduce((product, score) => product * score.value, 1),
        passed: scores.every((score) => score.passed),
      };
    case 'mean': {
      const value = scores.reduce((sum, score) => sum + score.value, 0) / scores.length;
      return { value, passed: value >= combination.threshold };
    }
    default:
      return assertNever(combination);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
