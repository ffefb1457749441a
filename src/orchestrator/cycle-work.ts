import { setMaxListeners } from 'node:events';
import type { Cycle, Run } from '../protocol/index.ts';
import type { Verdict } from '../roles/index.ts';
import { runAgentJob } from './agent-runner.ts';
import { isWorkDrained } from './cycle-drain.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';
import { createRoleSession } from './role-sessions.ts';
import { createSetupTracker } from './setup-pause.ts';
import { runSlotLoop, type SlotClaim } from './slot-loop.ts';

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
  const existing = await deps.board.listTasks({ runId: run.id, cycleId: cycle.id, kind: 'plan', limit: 1 });
  if (existing.length > 0) return;
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
 * busy — here or in a joined `cadre worker`), its time box or the run's budget ends, or the run
 * stops. Planner and worker slots each claim from the board and run one fresh agent per task; idle
 * slots wait for a kick, not a poll. With no local slots the cycle only watches the board drain.
 */
export async function runCycleWork(options: CycleWorkOptions): Promise<CycleWorkOutcome> {
  const { deps, state, run, cycle } = options;
  const { config, board } = deps;
  await ensureRootPlan(options);
  const cycleController = new AbortController();
  // every idle slot waits on this signal: that many listeners is the design, not a leak
  setMaxListeners(config.planners + config.workers + 10, cycleController.signal);
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
  const onSetup = createSetupTracker(deps, state, run.id);
  // agents' closing bookkeeping, off their slots' path; the cycle ends only after all of it
  const closing = new Set<Promise<unknown>>();
  const defer = (work: Promise<unknown>) => {
    closing.add(work);
    void work.finally(() => {
      closing.delete(work);
      // the last settlement commits after every slot went idle: someone must look for the drain
      if (busySlots === 0) state.kick();
    });
  };

  const checkDrained = async () => {
    if (busySlots > 0 || outcome) return;
    // a board that cannot be read now is not drained; the next check asks again
    const drained = await isWorkDrained(board, run.id, cycleController.signal).catch(() => false);
    if (drained && busySlots === 0) finish('drained');
  };

  const work = async ({ lease, role }: SlotClaim, agentId: string) => {
    busySlots++;
    try {
      const { task } = lease;
      state.agentOfTask.set(task.id, agentId);
      state.active.set(agentId, role);
      state.agentsStarted++;
      await runAgentJob(deps, {
        role,
        task,
        lease,
        agentId,
        parentAgentId: task.parentId ? (state.agentOfTask.get(task.parentId) ?? null) : null,
        signal: cycleController.signal,
        inbox: state.inbox,
        defer,
        onBusy: (milliseconds) => {
          state.busyMs += milliseconds;
        },
        onCost: (dollars) => {
          state.costUsd += dollars;
          if (config.budgetUsd > 0 && state.costUsd >= config.budgetUsd) finish('budget');
        },
        onModelCall: (call) => state.recordModelCall(call),
        onSetup,
        session: (worktree) =>
          createRoleSession({
            deps,
            run,
            cycle: { n: cycle.n, previousVerdict: options.previousVerdict },
            role,
            task,
            agentId,
            worktreePath: worktree.path,
            onFiled: () => state.kick(),
          }),
      });
    } catch (error) {
      deps.log?.(`agent ${agentId} failed: ${(error as Error).message}`);
    } finally {
      state.active.delete(agentId);
      busySlots--;
      state.kick();
    }
  };

  const slot = (role: 'planner' | 'worker') =>
    runSlotLoop({
      state,
      newAgentId: deps.newAgentId,
      signal: cycleController.signal,
      isFinished: () => outcome !== null,
      claim: async (agentId, signal) => {
        const lease = await board.claim(
          {
            owner: agentId,
            ttlMs: config.leaseTtlMs,
            filter: { runId: run.id, kinds: [role === 'planner' ? 'plan' : 'work'] },
          },
          { signal },
        );
        return lease ? { lease, role } : null;
      },
      work,
      onIdle: checkDrained,
      ...(deps.log ? { log: deps.log } : {}),
    });

  // agents of joined workers finish without kicking this process: watch the board too
  const watchDrain = async () => {
    while (!outcome && !cycleController.signal.aborted) {
      await checkDrained();
      if (!outcome) await state.nextKick(500, cycleController.signal);
    }
  };

  await Promise.all([
    ...Array.from({ length: config.planners }, () => slot('planner')),
    ...Array.from({ length: config.workers }, () => slot('worker')),
    watchDrain(),
  ]);
  await Promise.all(closing);
  clearTimeout(timeBox);
  options.signal.removeEventListener('abort', stopCycle);
  if (options.signal.aborted) return 'stopped';
  return outcome ?? 'stopped';
}
