import type { Model, ModelUsage } from '../../llm/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import {
  createExactMatchScorer,
  createNumericToleranceScorer,
  createSetMatchScorer,
} from '../scorers/match-scorers.ts';
import type { PristineFiles } from '../scorers/pristine-files.ts';
import { createRubricScorer } from '../scorers/rubric-scorer.ts';
import type { Scorer } from '../scorers/scorer.ts';
import { createTestsPassScorer } from '../scorers/tests-pass-scorer.ts';
import type { Sample } from '../suite.ts';
import type { ScorerSpec } from './folder-suite-schema.ts';

/** What building a folder suite's scorers may use; each is asked for only when a scorer needs it. */
export interface FolderScorerDependencies {
  sandbox(): Sandbox;
  /** A sample's files to restore before a tests-pass grading: `restore`, or its context's test files. */
  pristineFiles(sample: Sample, restore: readonly string[] | undefined): Promise<PristineFiles>;
  grader(modelId: string): Model;
  costOf(modelId: string, usage: ModelUsage): number | null;
}

/** The scorer a `suite.json` / `samples.jsonl` scorer entry names. */
export function createFolderScorer(spec: ScorerSpec, dependencies: FolderScorerDependencies): Scorer {
  switch (spec.type) {
    case 'exact':
      return createExactMatchScorer({ normalized: false });
    case 'normalized':
      return createExactMatchScorer({ normalized: true });
    case 'set':
      return createSetMatchScorer();
    case 'numeric':
      return createNumericToleranceScorer({
        ...(spec.relative === undefined ? {} : { relative: spec.relative }),
        ...(spec.absolute === undefined ? {} : { absolute: spec.absolute }),
      });
    case 'tests-pass':
      return createTestsPassScorer({
        command: spec.command,
        sandbox: dependencies.sandbox(),
        timeoutMilliseconds: spec.timeoutSeconds * 1000,
        pristineFiles: (sample) => dependencies.pristineFiles(sample, spec.restore),
      });
    case 'rubric':
      return createRubricScorer({
        grader: dependencies.grader(spec.grader),
        rubric: spec.rubric,
        passAt: spec.passAt,
        costOf: dependencies.costOf,
      });
    default:
      return assertNever(spec);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
