import { z } from 'zod';
import type { Model, ModelUsage } from '../../llm/index.ts';
import type { Scorer } from './scorer.ts';

/** What a grader model must return. */
export const RubricVerdict = z.object({
  score: z.number().min(0).max(1),
  reasons: z.string(),
});
/** What a grader model must return. */
export type RubricVerdict = z.infer<typeof RubricVerdict>;

/** Options of createRubricScorer. */
export interface RubricScorerOptions {
  grader: Model;
  rubric: string;
  /** Value at or above which the score passes. */
  passAt?: number;
  costOf?: (modelId: string, usage: ModelUsage) => number | null;
}

const graderSystem =
  'You grade an answer against a rubric. Reply with JSON only: {"score": <0..1>, "reasons": "<one or two sentences>"}.';

/** The first JSON object in a text (graders like to wrap JSON in prose or code fences). */
function firstJsonObject(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) throw new Error('no JSON object in the grader reply');
  return JSON.parse(text.slice(start, end + 1));
}

/** A model-graded rubric; the grader's reply is validated, and a reply that does not parse scores 0. */
export function createRubricScorer(options: RubricScorerOptions): Scorer {
  const passAt = options.passAt ?? 0.7;
  return {
    name: 'rubric',
    async score({ sample, finalText, signal }) {
      const response = await options.grader.generate(
        {
          system: graderSystem,
          messages: [
            {
              role: 'user',
              content: `Rubric:\n${options.rubric}\n\nTask:\n${sample.input}\n\nReference:\n${sample.reference}\n\nAnswer to grade:\n${finalText}`,
            },
          ],
          toolChoice: 'none',
        },
        { signal },
      );
      const gradingCostUsd = options.costOf?.(response.modelId, response.usage) ?? 0;
      let verdict: RubricVerdict;
      try {
        verdict = RubricVerdict.parse(firstJsonObject(response.text));
      } catch (error) {
        const explanation = `grader reply did not parse: ${(error as Error).message}`;
        return { scorer: 'rubric', value: 0, passed: false, explanation, gradingCostUsd };
      }
      return {
        scorer: 'rubric',
        value: verdict.score,
        passed: verdict.score >= passAt,
        explanation: verdict.reasons,
        gradingCostUsd,
      };
    },
  };
}
