import { type CellOptions, labTasks, runCoordinationCell } from './coordination-cell.ts';
import { round } from './coordination-metrics.ts';
import { predictFlatLock } from './coordination-model.ts';
import { CoordinationSettings, type CoordinationSettingsInput } from './strategies/coordination-settings.ts';

/** Which flat-lock cells the sensitivity sweep runs: every work-steps value with every fault rate. */
export interface CoordinationSweepPlan {
  workSteps: readonly number[];
  /** Each value sets all four lock faults' chance per cycle at once (0: the lock's structural ceiling). */
  faultRates: readonly number[];
  agents: number;
}

/** One cell of the sweep: flat-lock measured beside what predictFlatLock expects for the same settings. */
export interface CoordinationSweepRow {
  work_steps: number;
  fault_rate: number;
  agents: number;
  tasks: number;
  tasks_done: number;
  cut_off: boolean;
  wall_s: number;
  tasks_per_agent_s: number;
  model_tasks_per_agent_s: number;
  /** Task work per wall second, in agents (nominal, as in the main table). */
  effective_agents: number;
  model_effective_agents: number;
  /** Task work plus the lock cycles that claimed tasks, per wall second: the figure the lab used to print. */
  busy_agents: number;
  model_busy_agents: number;
  lock_hold_calls: number | null;
  model_lock_hold_calls: number;
  waste_share: number;
  lag_share: number;
  duplicate_work: number;
}

/** Options of runCoordinationSweep. */
export interface CoordinationSweepOptions extends CellOptions {
  plan: CoordinationSweepPlan;
  tasksPerAgent: number;
  /** The lab's settings; the sweep overrides agents, tasks, work steps and the four fault rates. */
  settings: Omit<CoordinationSettingsInput, 'agents' | 'tasks'>;
}

/** The settings of one sweep cell. */
export function sweepCellSettings(
  options: Pick<CoordinationSweepOptions, 'plan' | 'tasksPerAgent' | 'settings'>,
  workSteps: number,
  faultRate: number,
): CoordinationSettings {
  const base = CoordinationSettings.parse({ ...options.settings, agents: 1, tasks: 1 });
  return CoordinationSettings.parse({
    ...base,
    agents: options.plan.agents,
    tasks: labTasks(options.plan.agents, options.tasksPerAgent),
    workSteps,
    faults: {
      ...base.faults,
      holdTooLong: faultRate,
      forgetRelease: faultRate,
      reacquire: faultRate,
      unlockedWrite: faultRate,
    },
  });
}

/**
 * Runs flat-lock once per (work steps, fault rate) pair at one agent count, each cell cut at the
 * same wall limit as the main table, and puts the closed-form model beside every measurement, so
 * the table shows which parameters move the flat-lock figure and how far the model is from it.
 */
export async function runCoordinationSweep(
  options: CoordinationSweepOptions,
): Promise<CoordinationSweepRow[]> {
  const rows: CoordinationSweepRow[] = [];
  for (const workSteps of options.plan.workSteps) {
    for (const faultRate of options.plan.faultRates) {
      const settings = sweepCellSettings(options, workSteps, faultRate);
      options.progress?.(
        `sweep: flat-lock, ${settings.agents} agents, work steps ${workSteps}, faults ${faultRate}…`,
      );
      const row = await runCoordinationCell('flat-lock', settings, options);
      const model = predictFlatLock(settings, row.wall_s);
      rows.push({
        work_steps: workSteps,
        fault_rate: faultRate,
        agents: row.agents,
        tasks: row.tasks,
        tasks_done: row.tasks_done,
        cut_off: row.cut_off,
        wall_s: row.wall_s,
        tasks_per_agent_s: row.tasks_per_agent_s,
        model_tasks_per_agent_s: round(model.tasksPerAgentSecond, 4),
        effective_agents: row.effective_agents,
        model_effective_agents: round(model.effectiveAgents, 2),
        busy_agents: round(row.effective_agents + row.coordination_share * row.agents, 2),
        model_busy_agents: round(model.busyAgents, 2),
        lock_hold_calls: row.lock_hold_calls,
        model_lock_hold_calls: round(model.lockHoldCalls, 2),
        waste_share: row.waste_share,
        lag_share: row.lag_share,
        duplicate_work: row.duplicate_work,
      });
    }
  }
  return rows;
}
