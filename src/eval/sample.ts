// What a suite and its scorers share: the sample, how scores combine and the environment of one trial.
import { z } from 'zod';
import type { Tool } from '../agent/index.ts';
import type { ModelUsage } from '../llm/index.ts';

/** A fact the simulated user knows and reveals only when a question mentions one of its keywords. */
export const HiddenFact = z.strictObject({
  key: z.string().min(1),
  keywords: z.array(z.string().min(1)).min(1),
  value: z.string().min(1),
});
/** A fact the simulated user holds back until asked. */
export type HiddenFact = z.infer<typeof HiddenFact>;

/** One task of a suite: what the agent is told, what it may look at, and the reference answer. */
export const Sample = z.strictObject({
  id: z.string().regex(/^[\w.-]+$/, 'a sample id is letters, digits and _.-'),
  taskType: z.string().min(1),
  input: z.string().min(1),
  context: z.record(z.string(), z.unknown()).default({}),
  /** The expected answer as text; scorers read it as text, a number or a list. */
  reference: z.string(),
  hiddenFacts: z.array(HiddenFact).default([]),
});
/** One task of a suite. */
export type Sample = z.infer<typeof Sample>;

/** How the scores of one sample become one verdict. */
export type ScoreCombination =
  /** Every scorer must pass; the value is the product (the default: all required parts must hold). */
  | { type: 'product' }
  /** The mean value must reach the threshold. */
  | { type: 'mean'; threshold: number };

/** Cost of the simulated user, counted apart from the agent's. */
export interface UserCost {
  usage: ModelUsage;
  costUsd: number;
}

/** Where one trial runs: its own copy of the world, the tools over it, and how to clean up. */
export interface TrialEnvironment {
  worktreeRoot: string;
  tools: Tool[];
  /** Cost of the simulated user so far (zero when the trial has none or it is scripted). */
  userCost(): UserCost;
  cleanup(): Promise<void>;
}
