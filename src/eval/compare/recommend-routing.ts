import { engineRoles } from '../../orchestrator/index.ts';
import { isEngineEntry } from '../../protocol/index.ts';
import type { ModelSummary } from '../metrics/model-summary.ts';

/** The choice for one role: the models in preference order and why. */
export interface RoleRecommendation {
  role: string;
  /** Models at or above the floor, best success per dollar first; the rest are not recommended. */
  chain: string[];
  reasons: string[];
}

/**
 * Per role, ranks the models that reach the success floor by success per dollar (free models first, then
 * by success rate), so the chain is the routing config's preferred model followed by its fallbacks.
 * An engine (`engine:codex/…`) can only lead a chain (engines take a role's agents in turn; models
 * are their fallbacks), and only for the roles engines serve: it is chained when it ranks first, and
 * otherwise left out with a reason.
 */
export function recommendRouting(
  models: readonly ModelSummary[],
  successFloor: number,
): RoleRecommendation[] {
  const roles = [...new Set(models.map((model) => model.role))].sort();
  return roles.map((role) => {
    const candidates = models.filter((model) => model.role === role);
    const eligible = candidates
      .filter((model) => model.successRate >= successFloor)
      .sort((left, right) => value(right) - value(left) || right.successRate - left.successRate);
    const reasons = candidates.map((model) => {
      const perDollar =
        model.dollarsPerTrial === 0
          ? 'free'
          : `${(model.successRate / model.dollarsPerTrial).toFixed(1)} successes per dollar`;
      const verdict = model.successRate >= successFloor ? 'eligible' : `below the floor ${successFloor}`;
      return `${model.model}: success ${model.successRate.toFixed(3)}, ${perDollar}, ${verdict}`;
    });
    const ranked = [...new Set(eligible.map((model) => model.model))];
    const engineServes = (engineRoles as readonly string[]).includes(role);
    const chain = ranked.filter((id, index) => !isEngineEntry(id) || (index === 0 && engineServes));
    for (const id of ranked)
      if (!chain.includes(id))
        reasons.push(
          engineServes
            ? `${id}: left out of the chain: an engine can only lead it, and ${ranked[0]} ranks first`
            : `${id}: left out of the chain: engines serve only ${engineRoles.join(', ')}`,
        );
    return { role, chain, reasons };
  });
}

function value(model: ModelSummary): number {
  return model.dollarsPerTrial === 0 ? Number.POSITIVE_INFINITY : model.successRate / model.dollarsPerTrial;
}

/** The routing config lines (`roles` of the models config) for the recommendations that have a chain. */
export function routingConfig(recommendations: readonly RoleRecommendation[]): {
  roles: Record<string, string[]>;
} {
  return {
    roles: Object.fromEntries(
      recommendations.filter((item) => item.chain.length > 0).map((item) => [item.role, item.chain]),
    ),
  };
}
