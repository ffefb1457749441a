import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenCounter, parseToolConfig } from '../agent/index.ts';
import { openSqliteBoard, type TaskBoard } from '../board/index.ts';
import { createConfiguredRouter, createSimPolicyRegistry, parseModelsConfig } from '../llm/index.ts';
import {
  createDemoRepository,
  createFleetDependencies,
  type FleetDependencies,
} from '../orchestrator/index.ts';
import { createIdGenerator } from '../protocol/index.ts';
import { loadPrompt } from '../roles/index.ts';
import { createGit, type Lander, type WorktreeManager } from '../workspace/index.ts';
import { createScratchWorkspace } from './scratch-workspace.ts';
import type { CoordinationSettings, StrategyName } from './strategies/coordination-settings.ts';
import {
  hierarchicalConfig,
  hierarchicalSimPolicies,
  hierarchyAreas,
  planHierarchy,
} from './strategies/run-hierarchical-strategy.ts';

/** Where one cell of the lab runs: a fresh board and run, and the workspace its strategy needs. */
export type LabEnvironment = {
  board: TaskBoard;
  runId: string;
  directory: string;
  cleanup(): Promise<void>;
} & (
  | { type: 'hierarchical'; deps: FleetDependencies }
  | { type: 'flat'; lander: Lander; worktrees: WorktreeManager | null }
);

/** Options of openLabEnvironment. */
export interface LabEnvironmentOptions {
  strategy: StrategyName;
  settings: CoordinationSettings;
  /** Real git (a demo repository, a local hub, worktrees, the real lander) instead of the scratch workspace. */
  git: boolean;
  signal: AbortSignal;
}

/**
 * Opens a SQLite board in a temporary directory with one run and the workspace of the strategy:
 * without git, the scratch workspace of `cadre bench fleet` (landing is the board's record);
 * with git, a demo repository behind the same hub, worktrees and lander `cadre run` uses.
 */
export async function openLabEnvironment(options: LabEnvironmentOptions): Promise<LabEnvironment> {
  const { settings, signal } = options;
  const directory = await mkdtemp(join(tmpdir(), 'cadre-bench-coordination-'));
  const board = openSqliteBoard({ path: join(directory, 'board.db') });
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => {});
    await board.close();
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const config = hierarchicalConfig(settings);
    const areas = options.strategy === 'hierarchical' ? hierarchyAreas(planHierarchy(settings)) : [];
    const goal = `cadre bench coordination: ${options.strategy}, simulated work`;
    const run = await board.createRun({ goal, config }, { signal });
    const git = createGit();
    if (options.git) {
      const repo = await createDemoRepository({ directory: join(directory, 'repo'), git, signal, areas });
      const deps = await createFleetDependencies({
        repo,
        board,
        config,
        runId: run.id,
        env: {},
        simPolicies: hierarchicalSimPolicies(settings),
        signal,
      });
      if (options.strategy === 'hierarchical')
        return { type: 'hierarchical', board, runId: run.id, directory, cleanup, deps };
      return {
        type: 'flat',
        board,
        runId: run.id,
        directory,
        cleanup,
        lander: deps.lander,
        worktrees: deps.worktrees,
      };
    }
    // top-level areas, as in `cadre bench fleet`: the root planner hands one to each sub-planner
    const workspace = await createScratchWorkspace(board, join(directory, 'worktrees'), areas);
    cleanups.push(() => workspace.cleanup());
    if (options.strategy !== 'hierarchical')
      return {
        type: 'flat',
        board,
        runId: run.id,
        directory,
        cleanup,
        lander: workspace.lander,
        worktrees: null,
      };
    const router = createConfiguredRouter({
      config: parseModelsConfig(config.models),
      env: {},
      simPolicies: createSimPolicyRegistry(hierarchicalSimPolicies(settings)),
    });
    const [planner, worker, judge] = await Promise.all(
      (['planner', 'worker', 'judge'] as const).map((role) => loadPrompt(role)),
    );
    const ids = createIdGenerator();
    const deps: FleetDependencies = {
      board,
      hub: workspace.hub,
      git,
      worktrees: workspace.worktrees,
      lander: workspace.lander,
      models: {
        modelFor: (role) => router.modelFor(role),
        describe: (role) => `sim:${role}`,
        costOf: () => 0,
      },
      prompts: { planner: planner!, worker: worker!, judge: judge! },
      toolConfig: parseToolConfig({}),
      tokenCounter: createTokenCounter(),
      config: config.fleet,
      clock: Date.now,
      newAgentId: () => ids('agent'),
      inboxPollIntervalMs: 1000,
    };
    return { type: 'hierarchical', board, runId: run.id, directory, cleanup, deps };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
