import type { SimPolicy } from '../../llm/index.ts';
import { createSimJudgePolicy } from './judge-policy.ts';
import { createSimPlannerPolicy, type SimPlannerOptions } from './planner-policy.ts';
import { createSimWorkerPolicy } from './worker-policy.ts';

export { createSimJudgePolicy } from './judge-policy.ts';
export { createSimPlannerPolicy, type SimPlannerOptions } from './planner-policy.ts';
export { createSimWorkerPolicy, resolveByUnion } from './worker-policy.ts';

/** The simulated fleet: `sim:planner`, `sim:worker` and `sim:judge`, for demos, tests and benchmarks. */
export function createFleetSimPolicies(options: SimPlannerOptions): SimPolicy[] {
  return [createSimPlannerPolicy(options), createSimWorkerPolicy(), createSimJudgePolicy()];
}
