import { z } from 'zod';
import { AgentBudget } from '../agent/index.ts';

/** Per-role limits on one agent, as in the agent loop's budget. */
const RoleBudgets = z
  .object({
    // a planner that waits for its tasks is woken once per completion: 40 tasks need well over 60 steps
    planner: AgentBudget.prefault({ maxSteps: 200 }),
    worker: AgentBudget.prefault({ maxSteps: 80 }),
    judge: AgentBudget.prefault({ maxSteps: 30 }),
  })
  .prefault({});

/** The `fleet` section of a run's config: how many agents, how deep, how long, how much. */
export const FleetConfig = z
  .object({
    /**
     * Planner agents at once in the run's own process (the root planner and sub-planners share these
     * slots); 0 leaves planning to joined `cadre worker` processes.
     */
    planners: z.int().min(0).max(1000).default(2),
    /** Worker agents at once in the run's own process; 0 leaves the work to joined `cadre worker` processes. */
    workers: z.int().min(0).max(10_000).default(8),
    /** Most cycles; the judge may end the run earlier. */
    cycles: z.int().min(1).max(1000).default(2),
    /** Deepest sub-planner level (root planner is 0). */
    maxPlannerDepth: z.int().min(0).max(10).default(2),
    /** Sub-planners one planner may spawn. */
    maxSubplanners: z.int().min(0).max(100).default(4),
    /** Work tasks one planner may file. */
    maxTasksPerPlanner: z.int().min(1).max(100_000).default(40),
    /** Lease length; agents heartbeat at a third of it. */
    leaseTtlMs: z.int().min(1000).max(3_600_000).default(60_000),
    /** Times a task may be attempted (expired leases and retryable failures) before it fails. */
    maxAttempts: z.int().min(1).max(100).default(3),
    /** A cycle ends after this long even with work left (0: no limit). */
    cycleTimeBoxMs: z.int().min(0).default(0),
    /** The whole run stops when its agents have spent this many dollars (0: no limit). */
    budgetUsd: z.number().min(0).default(0),
    /** Run the project's checks (workspace.landing.checks) before each landing. */
    checkBeforeLanding: z.boolean().default(false),
    /** The model context window used for compaction, in tokens. */
    contextWindowTokens: z.int().min(1000).default(128_000),
    budgets: RoleBudgets,
  })
  .strict();
/** The `fleet` section of a run's config (after defaults). */
export type FleetConfig = z.infer<typeof FleetConfig>;
/** The `fleet` section as a user writes it. */
export type FleetConfigInput = z.input<typeof FleetConfig>;
