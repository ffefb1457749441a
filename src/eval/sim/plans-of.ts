import type { Suite } from '../suite.ts';
import type { SimulationPlan } from './simulation-plan.ts';

/** The suite's plans keyed by sample input, the way an oracle policy looks them up from the conversation. */
export function plansOf(suite: Suite): Map<string, SimulationPlan> {
  return new Map(suite.samples.map((sample) => [sample.input, suite.simulationPlan(sample)]));
}
