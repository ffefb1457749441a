import type { HiddenFact, SuiteModels } from '../suite.ts';
import { createModelUser, createScriptedUser, type SimulatedUser } from './simulated-user.ts';

/** Options of createTrialUser. */
export interface TrialUserOptions {
  persona: string;
  facts: readonly HiddenFact[];
  /** The model that plays the user; scripted when absent. */
  userModel: string | undefined;
  models: SuiteModels | undefined;
  /** The trial's seed, so a sim user model differs between trials yet repeats across runs. */
  seed: number;
}

/**
 * The simulated user of one trial, or null when the sample holds no hidden facts (no one to ask). A fresh
 * user per trial: what it revealed and what it cost belong to that trial alone.
 */
export function createTrialUser(options: TrialUserOptions): SimulatedUser | null {
  if (options.facts.length === 0) return null;
  if (options.userModel === undefined)
    return createScriptedUser({ persona: options.persona, facts: options.facts });
  if (options.models === undefined)
    throw new Error(`the user model ${options.userModel} needs suite models, and none were given`);
  return createModelUser({
    model: options.models.createModel(options.userModel, options.seed),
    persona: options.persona,
    facts: options.facts,
    costOf: options.models.costOf,
  });
}
