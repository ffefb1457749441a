import { runCycleSlot } from './cycle-work/cycle-slot.ts';
import { endCycleWork, startCycleWork, watchDrain } from './cycle-work/cycle-work-state.ts';
import type { CycleWorkOptions, CycleWorkOutcome } from './cycle-work/cycle-work-types.ts';

export type { CycleWorkOptions, CycleWorkOutcome } from './cycle-work/cycle-work-types.ts';

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
  const { config } = options.deps;
  await ensureRootPlan(options);
  const work = startCycleWork(options);
  await Promise.all([
    ...Array.from({ length: config.planners }, () => runCycleSlot(work, 'planner')),
    ...Array.from({ length: config.workers }, () => runCycleSlot(work, 'worker')),
    watchDrain(work),
  ]);
  return endCycleWork(work);
}
