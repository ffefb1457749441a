import type { SimPolicy } from '../../llm/index.ts';
import {
  type CadreConfig,
  createFleetState,
  type FleetDependencies,
  parseCadreConfig,
  runFleet,
} from '../../orchestrator/index.ts';
import { createFleetSimPolicies } from '../../roles/index.ts';
import type { CoordinationSettings, StrategyMeasures } from './coordination-settings.ts';
import { ledgerModels } from './hierarchy-step-ledger.ts';

/** How the lab splits its agents for cadre's default: a planner per 50 agents, the rest workers. */
export interface HierarchyPlan {
  planners: number;
  workers: number;
  tasksPerPlanner: number;
}

/** The same split as `cadre bench fleet`, filing exactly `settings.tasks` tasks in all (rounded up per planner). */
export function planHierarchy(settings: CoordinationSettings): HierarchyPlan {
  const planners = Math.max(1, Math.ceil(settings.agents / 50));
  const workers = Math.max(1, settings.agents - planners);
  return { planners, workers, tasksPerPlanner: Math.max(1, Math.ceil(settings.tasks / planners)) };
}

/** The directories the planners split between them; the lab's repository has one per planner. */
export function hierarchyAreas(plan: HierarchyPlan): string[] {
  return Array.from({ length: plan.planners }, (_, area) => `area-${area}`);
}

/** The run config of the hierarchical fleet: the one `cadre bench fleet` uses, sized to the lab's settings. */
export function hierarchicalConfig(settings: CoordinationSettings): CadreConfig {
  const plan = planHierarchy(settings);
  return parseCadreConfig(
    {
      models: {
        roles: { planner: ['sim:planner'], worker: ['sim:worker'], judge: ['sim:judge'] },
        sim: { seed: settings.seed, latency: { type: 'fixed', ms: settings.latencyMs } },
      },
      fleet: {
        planners: plan.planners,
        workers: plan.workers,
        cycles: 1,
        maxPlannerDepth: 1,
        maxSubplanners: plan.planners,
        maxTasksPerPlanner: plan.tasksPerPlanner,
        leaseTtlMs: Math.max(60_000, settings.latencyMs * 50),
        budgets: { planner: { maxSteps: 1_000_000 }, worker: { maxSteps: 200 }, judge: { maxSteps: 50 } },
      },
    },
    'the coordination lab',
  );
}

/** The simulated planner, worker and judge, pacing batches by open tasks as in `cadre bench fleet`. */
export function hierarchicalSimPolicies(settings: CoordinationSettings): SimPolicy[] {
  const plan = planHierarchy(settings);
  return createFleetSimPolicies({
    tasksPerPlanner: plan.tasksPerPlanner,
    subplannersPerPlanner: plan.planners,
    sharedIndex: false,
    batchSize: Math.max(1, Math.ceil(plan.workers / plan.planners)),
    keepOpen: plan.workers + plan.planners,
  });
}

/** Options of runHierarchicalStrategy. */
export interface HierarchicalStrategyOptions {
  /** Built by the caller from hierarchicalConfig and hierarchicalSimPolicies, on a scratch or a git workspace. */
  deps: FleetDependencies;
  runId: string;
  settings: CoordinationSettings;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

/**
 * Runs cadre's own path unchanged — planners file tasks, workers claim leases, a judge ends the
 * cycle — and stops it at settings.maxWallSeconds like the flat runs, so every strategy is measured
 * over the same window. Nominal time comes from the models' answers (ledgerModels); the fleet
 * state's busy time is the wall-based one. Nothing waits for a lock, so lock waits are zero by
 * construction rather than by measurement.
 */
export async function runHierarchicalStrategy(
  options: HierarchicalStrategyOptions,
): Promise<StrategyMeasures> {
  const { settings } = options;
  const plan = planHierarchy(settings);
  const state = createFleetState();
  const { models, counted } = ledgerModels(options.deps.models, settings.latencyMs);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('cut off')), settings.maxWallSeconds * 1000);
  const started = performance.now();
  const progress = setInterval(() => {
    options.progress?.(
      `hierarchical ${plan.planners + plan.workers} agents: ${state.active.size} busy, ${state.agentsStarted} started`,
    );
  }, 2000);
  try {
    await runFleet({
      deps: { ...options.deps, models },
      runId: options.runId,
      signal: AbortSignal.any([options.signal, deadline.signal]),
      state,
    });
  } finally {
    clearTimeout(timer);
    clearInterval(progress);
  }
  return {
    wallMs: performance.now() - started,
    agents: plan.planners + plan.workers,
    ledger: counted.ledger,
    nominalMs: counted.calls * settings.latencyMs,
    wallBusyMs: state.busyMs,
    lockWaitMs: 0,
    cutOff: deadline.signal.aborted,
  };
}
