import type { Model } from '../../llm/index.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import { createSimFleet, type SimFleet, type SimFleetOptions } from './sim-fleet.ts';

/** The roles a test may hand a model of its own (a scripted one); the others keep their sim policy. */
export type ScriptedRoles = Partial<Record<'planner' | 'worker' | 'judge', Model>>;

/**
 * A fleet's dependencies with some roles run by the given models. Each model serves every agent of
 * its role, in the order they call it; a test's own models are unpriced.
 */
export function withModels(deps: FleetDependencies, models: ScriptedRoles): FleetDependencies {
  const base = deps.models;
  const pick = (role: string): Model | undefined =>
    role === 'planner' || role === 'worker' || role === 'judge' ? models[role] : undefined;
  const ids = new Set(Object.values(models).map((model) => model.id));
  return {
    ...deps,
    models: {
      modelFor: (role) => pick(role) ?? base.modelFor(role),
      describe: (role) => pick(role)?.id ?? base.describe(role),
      costOf: (modelId, usage) => (ids.has(modelId) ? null : base.costOf(modelId, usage)),
    },
  };
}

/**
 * The one shared test fleet (demo repository, real SQLite board, real hub and lander) with some
 * roles run by the given models, for tests of what the orchestrator does when a model fails,
 * stops or files nothing.
 */
export async function createScriptedFleet(
  options: SimFleetOptions & { models: ScriptedRoles },
): Promise<SimFleet> {
  const fleet = await createSimFleet(options);
  fleet.deps = withModels(fleet.deps, options.models);
  return fleet;
}
