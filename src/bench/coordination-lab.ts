import { openLabEnvironment } from './coordination-environment.ts';
import { type CoordinationRow, measureRow } from './coordination-metrics.ts';
import {
  CoordinationSettings,
  type CoordinationSettingsInput,
  maxLabTasks,
  type StrategyName,
} from './strategies/coordination-settings.ts';
import { runFlatStrategy } from './strategies/run-flat-strategy.ts';
import { runHierarchicalStrategy } from './strategies/run-hierarchical-strategy.ts';

/** Options of `cadre bench coordination`. */
export interface CoordinationLabOptions {
  agentCounts: readonly number[];
  strategies: readonly StrategyName[];
  /** Work tasks per agent: every strategy at N agents gets the same N × tasksPerAgent tasks, at most maxLabTasks. */
  tasksPerAgent: number;
  git: boolean;
  /** Everything but the agents and tasks of a cell. */
  settings: Omit<CoordinationSettingsInput, 'agents' | 'tasks'>;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

/** The task set of a run: tasksPerAgent for every agent, capped at maxLabTasks (a run of 16,000 tasks at most). */
export function labTasks(agents: number, tasksPerAgent: number): number {
  return Math.min(agents * tasksPerAgent, maxLabTasks);
}

/** Runs one strategy at one agent count on a fresh board and workspace, and measures it. */
export async function runCoordinationCell(
  strategy: StrategyName,
  settingsInput: CoordinationSettingsInput,
  options: Pick<CoordinationLabOptions, 'git' | 'signal' | 'progress'>,
): Promise<CoordinationRow> {
  const settings = CoordinationSettings.parse(settingsInput);
  const { signal } = options;
  const environment = await openLabEnvironment({ strategy, settings, git: options.git, signal });
  try {
    const progress = options.progress ?? (() => {});
    const measures =
      environment.type === 'hierarchical'
        ? await runHierarchicalStrategy({
            deps: environment.deps,
            runId: environment.runId,
            settings,
            signal,
            progress,
          })
        : await runFlatStrategy({
            mode: strategy === 'flat-occ' ? 'flat-occ' : 'flat-lock',
            settings,
            board: environment.board,
            runId: environment.runId,
            lander: environment.lander,
            worktrees: environment.worktrees,
            worktreeRoot: environment.directory,
            signal,
            progress,
          });
    return await measureRow({
      board: environment.board,
      runId: environment.runId,
      strategy,
      tasks: settings.tasks,
      measures,
      signal,
    });
  } finally {
    await environment.cleanup();
  }
}

/** Runs every strategy at every agent count, one cell at a time so cells do not share the CPU. */
export async function runCoordinationLab(options: CoordinationLabOptions): Promise<CoordinationRow[]> {
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
        `${strategy} ${row.agents} agents: ${row.tasks_done}/${row.tasks} done in ${row.wall_s} s, efficiency ${row.efficiency}`,
      );
      rows.push(row);
    }
  }
  return rows;
}
