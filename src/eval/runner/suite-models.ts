import { costOf, createPriceTable, createSimPolicyRegistry } from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/index.ts';
import type { SuiteModels } from '../suite.ts';
import { createEvalModelFactory } from './eval-model-factory.ts';

/** Options of createSuiteModels. */
export interface SuiteModelsOptions {
  config: ModelsConfig;
  env: NodeJS.ProcessEnv;
  /** Play the simulated user with this model. */
  userModel?: string;
  /** Throws when a model cannot run (unknown id, missing credentials); called before each model is built. */
  check(modelId: string, simNames: ReadonlySet<string>): void;
}

/**
 * The models a suite uses itself (rubric graders, a model-driven user), priced like the models under test.
 * Only the built-in sim policies: the oracle agents know the suite's answers, so they are no judges or users.
 */
export function createSuiteModels(options: SuiteModelsOptions): SuiteModels {
  const simPolicies = createSimPolicyRegistry();
  const simNames = new Set(simPolicies.keys());
  const create = createEvalModelFactory({ config: options.config, env: options.env, simPolicies });
  const prices = createPriceTable(options.config.pricing);
  if (options.userModel !== undefined) options.check(options.userModel, simNames);
  return {
    createModel: (modelId, seed) => {
      options.check(modelId, simNames);
      return create(modelId, seed);
    },
    costOf: (modelId, usage) => costOf(prices, modelId, usage),
    ...(options.userModel === undefined ? {} : { userModel: options.userModel }),
  };
}
