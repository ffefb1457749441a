import type { TrialRecord } from '../trial-record.ts';
import { errorKinds, trialEndTypes } from '../trial-record.ts';
import type { ModelSummary, SampleTally } from './model-summary.ts';
import { passAtK, passHatK } from './pass-at-k.ts';

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function tokensOf(record: TrialRecord): number {
  return record.usage.inputTokens + record.usage.outputTokens;
}

/**
 * The metrics of one model's trials (all of one role and suite). Infrastructure errors are counted apart
 * and left out of every rate; pass@k and pass^k are per sample, with k capped at the sample's scored
 * trials when infrastructure errors left fewer than k, then averaged over samples that have any.
 */
export function summarizeTrials(
  model: string,
  role: string,
  k: number,
  records: readonly TrialRecord[],
): ModelSummary {
  const scored = records.filter((record) => record.success !== null);
  const successes = scored.filter((record) => record.success === true);
  const bySample = new Map<string, SampleTally>();
  for (const record of records) {
    const tally = bySample.get(record.sampleId) ?? {
      sampleId: record.sampleId,
      taskType: record.taskType,
      scored: 0,
      successes: 0,
    };
    if (record.success !== null) tally.scored += 1;
    if (record.success === true) tally.successes += 1;
    bySample.set(record.sampleId, tally);
  }
  const samples = [...bySample.values()];
  const withTrials = samples.filter((tally) => tally.scored > 0);
  const totalTokens = scored.reduce((sum, record) => sum + tokensOf(record), 0);
  const totalDollars = scored.reduce((sum, record) => sum + record.costUsd, 0);
  const endReasons = Object.fromEntries(trialEndTypes.map((type) => [type, 0])) as ModelSummary['endReasons'];
  for (const record of records) endReasons[record.end.type] += 1;
  const errorRates = Object.fromEntries(
    errorKinds.map((kind) => [
      kind,
      scored.length === 0
        ? 0
        : scored.filter((record) => record.errors.some((error) => error.kind === kind)).length /
          scored.length,
    ]),
  ) as ModelSummary['errorRates'];
  const taskTypes = [...new Set(scored.map((record) => record.taskType))].sort();
  const successRateByTaskType = Object.fromEntries(
    taskTypes.map((taskType) => {
      const ofType = scored.filter((record) => record.taskType === taskType);
      return [taskType, ofType.filter((record) => record.success).length / ofType.length];
    }),
  );
  return {
    model,
    role,
    trials: records.length,
    infrastructureErrors: records.length - scored.length,
    scoredTrials: scored.length,
    successes: successes.length,
    successRate: scored.length === 0 ? 0 : successes.length / scored.length,
    k,
    passAtK: mean(
      withTrials.map((tally) => passAtK(tally.scored, tally.successes, Math.min(k, tally.scored))),
    ),
    passHatK: mean(
      withTrials.map((tally) => passHatK(tally.scored, tally.successes, Math.min(k, tally.scored))),
    ),
    tokensPerTrial: scored.length === 0 ? 0 : totalTokens / scored.length,
    dollarsPerTrial: scored.length === 0 ? 0 : totalDollars / scored.length,
    tokensPerSuccess: successes.length === 0 ? null : totalTokens / successes.length,
    dollarsPerSuccess: successes.length === 0 ? null : totalDollars / successes.length,
    userDollars: records.reduce((sum, record) => sum + record.userCostUsd, 0),
    gradingDollars: records.reduce(
      (sum, record) => sum + record.scores.reduce((inner, score) => inner + score.gradingCostUsd, 0),
      0,
    ),
    unpricedCalls: records.reduce((sum, record) => sum + record.unpricedCalls, 0),
    meanTurns: mean(scored.map((record) => record.steps)),
    meanToolCalls: mean(scored.map((record) => record.toolCalls)),
    endReasons,
    errorRates,
    successRateByTaskType,
    samples,
  };
}
