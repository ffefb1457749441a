import { z } from 'zod';

/** The kinds of error the taxonomy detects. */
export const errorKinds = [
  'tool-call-schema-error',
  'tool-call-argument-error',
  'unknown-tool',
  'hallucinated-entity',
  'premature-stop',
  'step-repetition',
  'over-limit',
] as const;
/** One kind of error of the taxonomy. */
export type ErrorKind = (typeof errorKinds)[number];

/** Why a trial ended, from the lab's point of view. */
export const trialEndTypes = [
  'answered',
  'gave-up',
  'step-limit',
  'token-limit',
  'time-limit',
  'dollar-limit',
  'stuck',
  'error',
  'infrastructure-error',
] as const;

/** Why a trial ended; `infrastructure-error` trials are left out of every rate and counted apart. */
export const TrialEnd = z.strictObject({
  type: z.enum(trialEndTypes),
  detail: z.string(),
});
/** Why a trial ended. */
export type TrialEnd = z.infer<typeof TrialEnd>;

const Usage = z.strictObject({
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
});

/** One detected error: its kind and what the detector saw. */
export const DetectedError = z.strictObject({ kind: z.enum(errorKinds), detail: z.string() });
/** One detected error. */
export type DetectedError = z.infer<typeof DetectedError>;

/** One line of a run's trials.jsonl, without the event log (kept under `events`, validated loosely). */
export const TrialRecord = z.strictObject({
  suite: z.string(),
  role: z.string(),
  model: z.string(),
  sampleId: z.string(),
  taskType: z.string(),
  trial: z.int().min(0),
  end: TrialEnd,
  /** null for infrastructure errors: they say nothing about the model. */
  success: z.boolean().nullable(),
  scoreValue: z.number(),
  scores: z.array(
    z.strictObject({
      scorer: z.string(),
      value: z.number(),
      passed: z.boolean(),
      explanation: z.string(),
      gradingCostUsd: z.number(),
    }),
  ),
  answer: z.string().nullable(),
  steps: z.int().min(0),
  toolCalls: z.int().min(0),
  usage: Usage,
  costUsd: z.number(),
  unpricedCalls: z.int().min(0),
  userUsage: Usage,
  userCostUsd: z.number(),
  errors: z.array(DetectedError),
  events: z.array(z.unknown()),
});
/** One trial, as logged. */
export type TrialRecord = z.infer<typeof TrialRecord>;
