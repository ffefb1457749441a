import type { ModelsConfig } from '../../protocol/index.ts';
import { type CreateModelOptions, createModel } from '../create-model.ts';
import { createModelRouter, type ModelRouter } from './model-router.ts';
import type { RouterEventListener } from './router-events.ts';

/** What a router built from config needs besides the config itself. */
export interface ConfiguredRouterOptions extends CreateModelOptions {
  config: ModelsConfig;
  onEvent?: RouterEventListener;
  random?: () => number;
}

/** The usual wiring: role chains, retry, breaker, fallback and limits from config; models built from their ids. */
export function createConfiguredRouter(options: ConfiguredRouterOptions): ModelRouter {
  return createModelRouter({
    roles: options.config.roles,
    createModel: (modelId) => createModel(modelId, options),
    retry: options.config.retry,
    breaker: options.config.breaker,
    fallbackOn: options.config.fallbackOn,
    limits: options.config.limits,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
}
