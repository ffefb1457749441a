import type { Cycle, Run, Task } from '../protocol/index.ts';
import { createPlannerSession } from '../roles/planner-session.ts';
import type { Verdict } from '../roles/verdict.ts';
import { createWorkerSession } from '../roles/worker-session.ts';
import { createReadOnlyTools, createWorkspaceTools } from '../tools/tool-sets.ts';
import { runAgentJob } from './agent-runner.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';

/** How a cycle's planning and work phase ended. */
export type CycleWorkOutcome = 'drained' | 'time-box' | 'budget' | 'stopped';

/** Options of runCycleWork. */
export interface CycleWorkOptions {
  deps: FleetDependencies;
  state: FleetState;
  run: Run;
  cycle: Cycle;
  previousVerdict: Verdict | null;
  signal: AbortSignal;
}

/** Files the cycle's root plan task unless it exists (a resumed cycle has it already). */
async function ensureRootPlan(options: CycleWorkOptions): Promise<void> {
  const { deps, run, cycle } = options;
  const existing = await deps.board.listTasks({ runId: run.id, kind: 'plan', limit: 10_000 });
  if (existing.some((task) => task.cycleId === cycle.id)) return;
  const focus = options.previousVerdict?.next_focus ?? [];
  await deps.board.createTasks([
    {
      runId: run.id,
      cycleId: cycle.id,
      kind: 'plan',
      title: `plan cycle ${cycle.n}`,
      spec:
        focus.length > 0
          ? `Plan the goal; the judge asked to focus on:\n- ${focus.join('\n- ')}`
          : 'Plan the whole goal.',
      priority: 100,
    },
  ]);
}

/**
 * Runs planners and workers until the cycle's work is drained (nothing open or leased, nobody
 * busy), its time box or the run's budget ends, or the run stops. Planner and worker slots each
 * claim from the board and run one fresh agent per task; idle slots wait for a kick, not a poll.
 */
export async function runCycleWork(options: CycleWorkOptions): Promise<CycleWorkOutcome> {
  const { deps, state, run } = options;
  const { config, board } = deps;
  await ensureRootPlan(options);
  const cycleController = new AbortController();
  const stopCycle = () => cycleController.abort(options.signal.reason);
  options.signal.addEventListener('abort', stopCycle, { once: true });
  let outcome: CycleWorkOutcome | null = null;
  const finish = (reason: CycleWorkOutcome) => {
    outcome ??= reason;
    if (reason !== 'drained') cycleController.abort(new Error(`cycle ended: ${reason}`));
    state.kick();
  };
  const timeBox =
    config.cycleTimeBoxMs > 0 ? setTimeout(() => finish('time-box'), config.cycleTimeBoxMs) : undefined;
  let busySlots = 0;

  const checkDrained = async () => {
    if (busySlots > 0 || outcome) return;
    const counts = await board.countTasks(run.id);
    // open tasks nobody can claim while nobody works are waiting on a dependency that failed
    if (busySlots === 0 && counts.leased === 0) finish('drained');
  };

  const slot = async (role: 'planner' | 'worker') => {
    const kind = role === 'planner' ? 'plan' : 'work';
    let agentId: string | undefined;
    while (!outcome && !cycleController.signal.aborted) {
      if (state.paused) {
        await state.nextKick(1000, cycleController.signal);
        continue;
      }
      agentId ??= deps.newAgentId();
      const lease = await board.claim({
        owner: agentId,
        ttlMs: config.leaseTtlMs,
        filter: { runId: run.id, kinds: [kind] },
      });
      if (!lease) {
        await checkDrained();
        if (!outcome) await state.nextKick(500, cycleController.signal);
        continue;
      }
      busySlots++;
      const id = agentId;
      agentId = undefined;
      try {
        const task = await board.getTask(lease.taskId);
        state.agentOfTask.set(task.id, id);
        state.active.set(id, role);
        state.agentsStarted++;
        await runAgentJob(deps, {
          role,
          task,
          lease,
          agentId: id,
          parentAgentId: task.parentId ? (state.agentOfTask.get(task.parentId) ?? null) : null,
          signal: cycleController.signal,
          inbox: state.inbox,
          onBusy: (milliseconds) => {
            state.busyMs += milliseconds;
          },
          onCost: (dollars) => {
            state.costUsd += dollars;
            if (config.budgetUsd > 0 && state.costUsd >= config.budgetUsd) finish('budget');
          },
          session: (worktree) => sessionFor(role, task, options, worktree.path, id),
        });
      } catch (error) {
        deps.log?.(`agent ${id} failed: ${(error as Error).message}`);
      } finally {
        state.active.delete(id);
        busySlots--;
        state.kick();
      }
    }
  };

  const slots = [
    ...Array.from({ length: config.planners }, () => slot('planner')),
    ...Array.from({ length: config.workers }, () => slot('worker')),
  ];
  await Promise.all(slots);
  clearTimeout(timeBox);
  options.signal.removeEventListener('abort', stopCycle);
  if (options.signal.aborted) return 'stopped';
  return outcome ?? 'stopped';
}

async function sessionFor(
  role: 'planner' | 'worker',
  task: Task,
  options: CycleWorkOptions,
  worktreePath: string,
  agentId: string,
) {
  const { deps, run, cycle, state } = options;
  const common = { goal: run.goal, cycle: cycle.n, maxCycles: deps.config.cycles };
  if (role === 'planner') {
    return createPlannerSession({
      board: deps.board,
      task,
      lease: {
        taskId: task.id,
        runId: task.runId,
        owner: agentId,
        fence: task.fence,
        expiresAt: task.leaseExpiresAt ?? 0,
      },
      prompt: deps.prompts.planner,
      readTools: deps.sharedTools?.read ?? createReadOnlyTools(),
      ...common,
      limits: {
        maxDepth: deps.config.maxPlannerDepth,
        maxSubplanners: deps.config.maxSubplanners,
        maxTasks: deps.config.maxTasksPerPlanner,
      },
      previousVerdict: options.previousVerdict,
      onFiled: () => state.kick(),
    });
  }
  return createWorkerSession({
    task,
    lease: {
      taskId: task.id,
      runId: task.runId,
      owner: agentId,
      fence: task.fence,
      expiresAt: task.leaseExpiresAt ?? 0,
    },
    agentId,
    prompt: deps.prompts.worker,
    workspaceTools:
      deps.sharedTools?.workspace ?? createWorkspaceTools(deps.sandbox ? { sandbox: deps.sandbox } : {}),
    worktreePath,
    lander: deps.lander,
    runChecks: deps.config.checkBeforeLanding,
    ...common,
  });
}
