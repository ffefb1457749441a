import type { RetryPolicy } from '../../protocol/index.ts';
import type { Model } from '../model.ts';
import { createModelRouter, type ModelRouterOptions } from '../router/model-router.ts';
import type { RouterEvent } from '../router/router-events.ts';
import { createFakeTime } from './fake-time.ts';
import { createScriptedModel, type ScriptedModel, type ScriptedStep } from './scripted-model.ts';

/** A retry policy for router tests: three attempts, 1 s first delay, 8 s cap, Retry-After up to 60 s. */
export const testRetryPolicy: RetryPolicy = {
  maxElapsedMs: 300_000,
  initialDelayMs: 1_000,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxAttempts: 3,
};

/**
 * A router over scripted models, one per entry of `scripts` (the entries, in order, are the chain of role
 * `worker`), on fake time, recording every router event. Overrides replace any router option.
 */
export function createScriptedRouter(
  scripts: Record<string, ScriptedStep[]>,
  overrides: Partial<ModelRouterOptions> = {},
) {
  const time = createFakeTime();
  const events: RouterEvent[] = [];
  const models = new Map<string, ScriptedModel>(
    Object.entries(scripts).map(([id, steps]) => [id, createScriptedModel(steps, { id })]),
  );
  const router = createModelRouter({
    roles: { worker: Object.keys(scripts) },
    createModel: (id): Model => {
      const model = models.get(id);
      if (model === undefined) throw new Error(`no script for ${id}`);
      return model;
    },
    retry: testRetryPolicy,
    breaker: { failureThreshold: 5, coolDownMs: 30_000 },
    onEvent: (event) => events.push(event),
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    ...overrides,
  });
  return { router, time, events, models };
}
