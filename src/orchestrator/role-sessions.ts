import type { Run, Task } from '../protocol/index.ts';
import {
  createPlannerSession,
  createWorkerSession,
  failEarlyPlannerEnd,
  type RoleSession,
  type Verdict,
} from '../roles/index.ts';
import { createReadOnlyTools, createWorkspaceTools } from '../tools/index.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';

/** What a planner or worker session needs to know about the cycle its task belongs to. */
export interface CycleContext {
  /** The cycle's number (1-based). */
  n: number;
  /** The judge's verdict on the cycle before, which steers planning. */
  previousVerdict: Verdict | null;
}

/** Options of createRoleSession. */
export interface RoleSessionOptions {
  deps: FleetDependencies;
  run: Run;
  cycle: CycleContext;
  role: 'planner' | 'worker';
  task: Task;
  agentId: string;
  worktreePath: string;
  /** Called when a planner filed tasks, to wake idle slots. */
  onFiled: () => void;
}

/**
 * The cycle context of a task read from the board, for a process that did not start the cycle (a
 * joined `cadre worker`): the cycle's number and the verdict on the one before it.
 */
export async function readCycleContext(
  deps: FleetDependencies,
  task: Task,
  signal?: AbortSignal,
): Promise<CycleContext> {
  if (!task.cycleId) return { n: 1, previousVerdict: null };
  const cycles = await deps.board.listCycles(task.runId, { signal });
  const cycle = cycles.find((candidate) => candidate.id === task.cycleId);
  const n = cycle?.n ?? 1;
  const previous = cycles.find((candidate) => candidate.n === n - 1);
  return { n, previousVerdict: previous?.verdict ?? null };
}

/** Builds the session of a planner or worker agent on its leased task. */
export async function createRoleSession(options: RoleSessionOptions): Promise<RoleSession> {
  const { deps, run, task, agentId } = options;
  const common = { goal: run.goal, cycle: options.cycle.n, maxCycles: deps.config.cycles };
  const lease = {
    taskId: task.id,
    runId: task.runId,
    owner: agentId,
    fence: task.fence,
    expiresAt: task.leaseExpiresAt ?? 0,
  };
  switch (options.role) {
    case 'planner':
      return failEarlyPlannerEnd(
        await createPlannerSession({
          board: deps.board,
          task,
          lease,
          prompt: deps.prompts.planner,
          readTools: deps.sharedTools?.read ?? createReadOnlyTools(),
          ...common,
          limits: {
            maxDepth: deps.config.maxPlannerDepth,
            maxSubplanners: deps.config.maxSubplanners,
            maxTasks: deps.config.maxTasksPerPlanner,
          },
          previousVerdict: options.cycle.previousVerdict,
          worktreePath: options.worktreePath,
          onFiled: options.onFiled,
        }),
      );
    case 'worker':
      return createWorkerSession({
        task,
        lease,
        agentId,
        prompt: deps.prompts.worker,
        workspaceTools:
          deps.sharedTools?.workspace ?? createWorkspaceTools(deps.sandbox ? { sandbox: deps.sandbox } : {}),
        worktreePath: options.worktreePath,
        lander: deps.lander,
        runChecks: deps.config.checkBeforeLanding,
        ...common,
      });
  }
}
