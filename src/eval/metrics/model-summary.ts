import { z } from 'zod';
import { errorKinds, trialEndTypes } from '../trial-record.ts';

/** Successes out of scored trials of one sample, kept so runs can be compared by resampling samples. */
export const SampleTally = z.strictObject({
  sampleId: z.string(),
  taskType: z.string(),
  scored: z.int().min(0),
  successes: z.int().min(0),
});
/** Successes out of scored trials of one sample. */
export type SampleTally = z.infer<typeof SampleTally>;

/** The metrics of one model in one role on one suite. */
export const ModelSummary = z.strictObject({
  model: z.string(),
  role: z.string(),
  trials: z.int().min(0),
  /** Trials that ended in an infrastructure error; excluded from every rate below. */
  infrastructureErrors: z.int().min(0),
  scoredTrials: z.int().min(0),
  successes: z.int().min(0),
  successRate: z.number(),
  k: z.int().min(1),
  passAtK: z.number(),
  passHatK: z.number(),
  tokensPerTrial: z.number(),
  dollarsPerTrial: z.number(),
  /** null when nothing succeeded. */
  tokensPerSuccess: z.number().nullable(),
  dollarsPerSuccess: z.number().nullable(),
  /** Dollars of the simulated user and of model graders, counted apart from the agent's. */
  userDollars: z.number(),
  gradingDollars: z.number(),
  unpricedCalls: z.int().min(0),
  meanTurns: z.number(),
  meanToolCalls: z.number(),
  endReasons: z.record(z.enum(trialEndTypes), z.int().min(0)),
  /** Share of scored trials with at least one error of each kind. */
  errorRates: z.record(z.enum(errorKinds), z.number()),
  successRateByTaskType: z.record(z.string(), z.number()),
  samples: z.array(SampleTally),
});
/** The metrics of one model in one role on one suite. */
export type ModelSummary = z.infer<typeof ModelSummary>;

/** The summary.json of one run. */
export const RunSummary = z.strictObject({
  suite: z.string(),
  role: z.string(),
  trialsPerSample: z.int().min(1),
  sampleCount: z.int().min(0),
  seed: z.int(),
  simulated: z.boolean(),
  models: z.array(ModelSummary),
});
/** The summary.json of one run. */
export type RunSummary = z.infer<typeof RunSummary>;
