import { createConfiguredRouter, type Model, type SimPolicy } from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/index.ts';

/** Options of createEvalModelFactory. */
export interface EvalModelFactoryOptions {
  config: ModelsConfig;
  env: NodeJS.ProcessEnv;
  simPolicies: ReadonlyMap<string, SimPolicy>;
}

/**
 * Builds one routed model (retries and backoff from config, no fallback: the model under test must be the
 * one that answers) per trial; sim models get the trial's seed so each trial draws its own outcome.
 */
export function createEvalModelFactory(
  options: EvalModelFactoryOptions,
): (modelId: string, seed: number) => Model {
  return (modelId, seed) => {
    const config: ModelsConfig = {
      ...options.config,
      roles: { 'eval-subject': [modelId] },
      sim: { ...options.config.sim, seed },
    };
    return createConfiguredRouter({ config, env: options.env, simPolicies: options.simPolicies }).modelFor(
      'eval-subject',
    );
  };
}
