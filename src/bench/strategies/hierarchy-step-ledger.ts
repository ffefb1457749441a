import type { Model } from '../../llm/index.ts';
import type { FleetDependencies } from '../../orchestrator/index.ts';
import { charge, createStepLedger, type StepKind, type StepLedger } from './step-ledger.ts';

/** The fleet's model source, as FleetDependencies names it. */
type FleetModels = FleetDependencies['models'];

/** Planner tools that only look at the board while workers work: a turn made of these alone is polling. */
const pollingTools = new Set(['list_tasks', 'read_handoffs', 'wait_for_changes']);

/**
 * What one answered model call of the hierarchy went to. A worker's tool calls are the task's work
 * (look, write, land, hand off: the flat peer's do_work plus work steps); a planner's polling turns
 * change nothing; filing, splitting and judging are coordination.
 */
export function classifyHierarchyTurn(role: string, toolNames: readonly string[]): StepKind {
  if (role === 'worker') return toolNames.length > 0 ? 'work' : 'coordination';
  if (role === 'planner' && toolNames.length > 0 && toolNames.every((name) => pollingTools.has(name)))
    return 'waste';
  return 'coordination';
}

/** The hierarchy's nominal time, counted by wrapping the models the fleet asks for. */
export interface HierarchyLedger {
  ledger: StepLedger;
  /** Model calls answered, whatever they went to. */
  calls: number;
}

/**
 * Wraps the fleet's models so every answered call books its nominal latency (`stepMs`, the fixed
 * latency the sim model was configured with) under the kind classifyHierarchyTurn gives it. The
 * fleet itself is unchanged: the wrapper only looks at the responses.
 */
export function ledgerModels(
  models: FleetModels,
  stepMs: number,
): { models: FleetModels; counted: HierarchyLedger } {
  const counted: HierarchyLedger = { ledger: createStepLedger(), calls: 0 };
  const wrap = (model: Model, role: string): Model => ({
    id: model.id,
    async generate(request, options) {
      const response = await model.generate(request, options);
      counted.calls++;
      charge(
        counted.ledger,
        classifyHierarchyTurn(
          role,
          response.toolCalls.map((call) => call.name),
        ),
        stepMs,
      );
      return response;
    },
  });
  return {
    models: { ...models, modelFor: (role) => wrap(models.modelFor(role), role) },
    counted,
  };
}
