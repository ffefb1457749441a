import path from 'node:path';
import { z } from 'zod';
import { HiddenFact } from '../suite.ts';

/** A path inside the suite folder, written relative to it; `..` and absolute paths are refused. */
const FolderPath = z
  .string()
  .min(1)
  .refine(
    (value) =>
      !path.isAbsolute(value) &&
      !path.normalize(value).split(/[\\/]/).includes('..') &&
      !value.includes('\0'),
    'must be a path inside the suite folder, relative to it (no "..", not absolute)',
  );

/** How one sample is graded; `type`-tagged so a suite file names its scorers plainly. */
export const ScorerSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exact') }),
  z.strictObject({ type: z.literal('normalized') }),
  z.strictObject({ type: z.literal('set') }),
  z
    .strictObject({
      type: z.literal('numeric'),
      relative: z.number().min(0).optional(),
      absolute: z.number().min(0).optional(),
    })
    .refine((spec) => spec.relative !== undefined || spec.absolute !== undefined, {
      message: 'a numeric scorer needs a tolerance: "relative" (a fraction) or "absolute"',
      path: ['relative'],
    }),
  z.strictObject({
    type: z.literal('tests-pass'),
    command: z.string().min(1),
    timeoutSeconds: z.int().min(1).max(3600).default(60),
    /** Context files written back before grading (default: every file of the context that looks like a test). */
    restore: z
      .array(
        z
          .string()
          .min(1)
          .refine(
            (value) => !value.startsWith('/') && !value.split('/').includes('..'),
            'a path inside the context',
          ),
      )
      .optional(),
  }),
  z.strictObject({
    type: z.literal('rubric'),
    rubric: z.string().min(1),
    grader: z.string().min(1),
    passAt: z.number().min(0).max(1).default(0.7),
  }),
]);
/** How one sample is graded. */
export type ScorerSpec = z.infer<typeof ScorerSpec>;

/** The built-in tools a folder suite may give its agent. */
export const toolSetNames = ['none', 'files', 'sandbox'] as const;
/** Which built-in tools the agent gets. */
export type ToolSetName = (typeof toolSetNames)[number];

const Solver = z
  .strictObject({
    role: z.string().min(1).default('worker'),
    system: z.string().min(1).optional(),
    systemFile: FolderPath.optional(),
    maxSteps: z.int().min(1).max(500).default(10),
    maxTokens: z.int().min(1).optional(),
    tools: z.enum(toolSetNames).default('none'),
  })
  .refine((solver) => (solver.system === undefined) !== (solver.systemFile === undefined), {
    message: 'give exactly one of "system" (the prompt) or "systemFile" (a file in the suite folder)',
    path: ['system'],
  });

const Catalog = z.strictObject({
  /** What an entity name looks like in an answer, as a regular expression source. */
  pattern: z.string().refine((source) => {
    try {
      new RegExp(source, 'g');
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression'),
  names: z.array(z.string().min(1)).min(1),
  /** A name that looks like an entity but is not one, for the oracle sim agents' hallucinated answers. */
  decoy: z.string().min(1).optional(),
});

const User = z.strictObject({
  type: z.enum(['scripted', 'model']).default('scripted'),
  persona: z.string().min(1).default('the user'),
  /** The model that plays the user when `type` is `model` (`--user-model` overrides it). */
  model: z.string().min(1).optional(),
  /** Facts every sample's user holds, besides the sample's own. */
  facts: z.array(HiddenFact).default([]),
  /** What the `ask_user` tool tells the agent about whom it asks. */
  toolDescription: z.string().min(1).default('Ask the user a question about the task.'),
});

/** `suite.json`: everything about a folder suite except its samples. */
export const SuiteFile = z.strictObject({
  name: z.string().regex(/^[a-z0-9][\w.-]*$/i, 'a suite name is letters, digits and _.- (no spaces)'),
  description: z.string().min(1),
  solver: Solver,
  scorers: z
    .array(ScorerSpec)
    .min(1)
    .default([{ type: 'normalized' }]),
  combination: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('product') }),
      z.strictObject({ type: z.literal('mean'), threshold: z.number().min(0).max(1) }),
    ])
    .default({ type: 'product' }),
  catalog: Catalog.optional(),
  user: User.optional(),
});
/** A parsed `suite.json`. */
export type SuiteFile = z.infer<typeof SuiteFile>;

/** One line of `samples.jsonl`. */
export const SampleLine = z.strictObject({
  id: z.string().regex(/^[\w.-]+$/, 'a sample id is letters, digits and _.-'),
  taskType: z.string().min(1).default('task'),
  input: z.string().min(1),
  /** A directory in the suite folder whose copy becomes the trial's working directory. */
  context: FolderPath.optional(),
  reference: z
    .union([z.string(), z.number()], { error: 'the expected answer is required, as a string or a number' })
    .transform(String),
  /** Replaces the suite's default scorers for this sample. */
  scorers: z.array(ScorerSpec).min(1).optional(),
  hiddenFacts: z.array(HiddenFact).default([]),
  /** Tool calls an oracle sim agent makes before answering (it answers with the reference). */
  simulatedCalls: z.array(z.strictObject({ name: z.string().min(1), input: z.unknown() })).default([]),
});
/** A parsed line of `samples.jsonl`. */
export type SampleLine = z.infer<typeof SampleLine>;
