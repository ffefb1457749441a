import { cpus, loadavg, release, totalmem } from 'node:os';
import { labTasks, runCoordinationCell } from './coordination-cell.ts';
import { type CoordinationRow, round } from './coordination-metrics.ts';
import {
  type CoordinationSweepPlan,
  type CoordinationSweepRow,
  runCoordinationSweep,
} from './coordination-sweep.ts';
import {
  CoordinationSettings,
  type CoordinationSettingsInput,
  type StrategyName,
} from './strategies/coordination-settings.ts';

/** Options of `cadre bench coordination`. */
export interface CoordinationLabOptions {
  agentCounts: readonly number[];
  strategies: readonly StrategyName[];
  /** Work tasks per agent: every strategy at N agents gets the same N × tasksPerAgent tasks, at most maxLabTasks. */
  tasksPerAgent: number;
  git: boolean;
  /** Everything but the agents and tasks of a cell. */
  settings: Omit<CoordinationSettingsInput, 'agents' | 'tasks'>;
  /** The flat-lock sensitivity sweep; null skips it. */
  sweep: CoordinationSweepPlan | null;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

/** The machine the figures came from: every figure the lab prints is printed with it. */
export interface LabMachine {
  cores: number;
  memory_gb: number;
  os: string;
  node: string;
  load_average_1m_at_end: number;
}

/** Everything one `cadre bench coordination` measured, with the settings that produced it. */
export interface CoordinationReport {
  bench: 'coordination';
  /** Always true: the agents are the sim model's rule-following policies, not models. */
  simulated: true;
  settings: {
    agents: number[];
    strategies: StrategyName[];
    tasks_per_agent: number;
    git: boolean;
    /** The cell settings every row shares (defaults filled in); agents and tasks vary per row. */
    cell: Omit<CoordinationSettings, 'agents' | 'tasks'>;
    sweep: CoordinationSweepPlan | null;
  };
  machine: LabMachine;
  rows: CoordinationRow[];
  sweep: CoordinationSweepRow[] | null;
}

function describeMachine(): LabMachine {
  return {
    cores: cpus().length,
    memory_gb: round(totalmem() / 1024 ** 3, 1),
    os: `${process.platform} ${release()}`,
    node: process.version,
    load_average_1m_at_end: round(loadavg()[0] ?? 0, 2),
  };
}

/**
 * Runs every strategy at every agent count, then the flat-lock sweep, one cell at a time so cells
 * do not share the CPU. Every cell is cut at the same wall limit, so every row is a rate over the
 * same window.
 */
export async function runCoordinationLab(options: CoordinationLabOptions): Promise<CoordinationReport> {
  const {
    agents: _agents,
    tasks: _tasks,
    ...cell
  } = CoordinationSettings.parse({
    ...options.settings,
    agents: 1,
    tasks: 1,
  });
  const rows: CoordinationRow[] = [];
  for (const strategy of options.strategies) {
    for (const agents of options.agentCounts) {
      options.progress?.(`${strategy} with ${agents} agents…`);
      const row = await runCoordinationCell(
        strategy,
        { ...options.settings, agents, tasks: labTasks(agents, options.tasksPerAgent) },
        options,
      );
      options.progress?.(
        `${strategy} ${row.agents} agents: ${row.tasks_done}/${row.tasks} done in ${row.wall_s} s${row.cut_off ? ' (cut off)' : ''}, ${row.tasks_per_agent_s} tasks/agent/s, efficiency ${row.efficiency}`,
      );
      rows.push(row);
    }
  }
  const sweep =
    options.sweep === null
      ? null
      : await runCoordinationSweep({ ...options, plan: options.sweep, settings: options.settings });
  return {
    bench: 'coordination',
    simulated: true,
    settings: {
      agents: [...options.agentCounts],
      strategies: [...options.strategies],
      tasks_per_agent: options.tasksPerAgent,
      git: options.git,
      cell,
      sweep: options.sweep,
    },
    machine: describeMachine(),
    rows,
    sweep,
  };
}
