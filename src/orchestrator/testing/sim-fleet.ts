import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteBoard, type TaskBoard } from '../../board/index.ts';
import { createFleetSimPolicies } from '../../roles/index.ts';
import { createGit } from '../../workspace/index.ts';
import { type CadreConfig, parseCadreConfig } from '../cadre-config.ts';
import { createFleetDependencies } from '../create-fleet-dependencies.ts';
import { createDemoRepository } from '../demo-repository.ts';
import type { FleetConfigInput } from '../fleet-config.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';

/** A demo repository with a board and a simulated fleet, for orchestrator tests and the fleet benchmark. */
export interface SimFleet {
  directory: string;
  repo: string;
  board: TaskBoard;
  config: CadreConfig;
  runId: string;
  deps: FleetDependencies;
  cleanup(): Promise<void>;
}

/** Options of createSimFleet. */
export interface SimFleetOptions {
  fleet: FleetConfigInput;
  tasksPerPlanner: number;
  /** Fixed simulated latency per model call. */
  latencyMs: number;
  areas?: readonly string[];
  sharedIndex?: boolean;
  /** The config's `workspace` section (worktree setup, checks); the defaults when absent. */
  workspace?: Record<string, unknown>;
  signal: AbortSignal;
}

/** Sets up the one shared test fleet: repository, board, config with sim roles, run and dependencies. */
export async function createSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  const directory = mkdtempSync(join(tmpdir(), 'cadre-fleet-'));
  const git = createGit();
  const repo = await createDemoRepository({
    directory: join(directory, 'repo'),
    git,
    signal: options.signal,
    ...(options.areas ? { areas: options.areas } : {}),
  });
  const board = openSqliteBoard({ path: join(repo, '.cadre', 'board.db') });
  const config = parseCadreConfig(
    {
      models: {
        roles: { planner: ['sim:planner'], worker: ['sim:worker'], judge: ['sim:judge'] },
        sim: { latency: { type: 'fixed', ms: options.latencyMs } },
      },
      fleet: options.fleet,
      ...(options.workspace ? { workspace: options.workspace } : {}),
    },
    'test fleet',
  );
  const run = await board.createRun({ goal: 'add feature modules (simulated)', config });
  const deps = await createFleetDependencies({
    repo,
    board,
    config,
    runId: run.id,
    env: {},
    simPolicies: createFleetSimPolicies({
      tasksPerPlanner: options.tasksPerPlanner,
      subplannersPerPlanner: config.fleet.maxSubplanners,
      sharedIndex: options.sharedIndex ?? true,
    }),
    signal: options.signal,
  });
  return {
    directory,
    repo,
    board,
    config,
    runId: run.id,
    deps,
    async cleanup() {
      await board.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
