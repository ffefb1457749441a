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

/** Where a cell runs and how it reports progress. */
export interface CellOptions {
  /** Real git (demo repository, worktrees, the real lander) instead of the scratch workspace. */
  git: boolean;
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
  options: CellOptions,
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
      settings,
      measures,
      signal,
    });
  } finally {
    await environment.cleanup();
  }
}
