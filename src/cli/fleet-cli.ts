import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteBoard, type TaskBoard } from '../board/index.ts';
import { checkCredentials, parseModelId, parseModelsConfig } from '../llm/index.ts';
import {
  acquireRunLock,
  type CadreConfig,
  createFleetDependencies,
  EngineUnavailableError,
  type FleetProgress,
  prepareFleetEngines,
  type RunSummary,
  runFleet,
} from '../orchestrator/index.ts';
import { isEngineEntry, type Run } from '../protocol/index.ts';
import { createFleetSimPolicies } from '../roles/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { createGit, fetchRunResult } from '../workspace/index.ts';
import { type CliIo, printJson, UsageError } from './cli-io.ts';

/** A run that ended `failed`: its summary is printed already; the message says why, and the exit code is 1. */
export class RunFailedError extends Error {
  constructor(runId: string, reason: string) {
    super(`run ${runId} failed: ${reason}`);
    this.name = 'RunFailedError';
  }
}

/** Where a repository keeps its board and run locks. */
export function cadreDirectory(repo: string): string {
  return join(resolve(repo), '.cadre');
}

/** The board of a repository (`<repo>/.cadre/board.db` unless --db names another file). */
export function openRepositoryBoard(
  io: CliIo,
  repo: string,
  db: string | undefined,
  create: boolean,
): TaskBoard {
  const path = db
    ? resolve(io.cwd, db)
    : io.env.CADRE_DB
      ? resolve(io.cwd, io.env.CADRE_DB)
      : join(cadreDirectory(repo), 'board.db');
  return openSqliteBoard({ path, create });
}

/** The run a command means: the one named, else the newest one on the board. */
export async function resolveRun(board: TaskBoard, runId: string | undefined): Promise<Run> {
  if (runId) return board.getRun(runId);
  const [newest] = await board.listRuns({ limit: 1 });
  if (!newest)
    throw new UsageError('there is no run on this board yet; start one with cadre run or cadre demo');
  return newest;
}

/** Refuses model ids that do not parse and roles whose keys are missing, before anything is written. */
export function checkModels(config: CadreConfig, env: NodeJS.ProcessEnv): void {
  const models = parseModelsConfig(config.models);
  for (const [role, chain] of Object.entries(models.roles)) {
    for (const id of chain.filter((entry) => !isEngineEntry(entry))) {
      try {
        parseModelId(id);
      } catch (error) {
        throw new UsageError(`model "${id}" for role ${role}: ${(error as Error).message}`);
      }
    }
  }
  const problems = checkCredentials(models, env, ['planner', 'worker', 'judge']);
  if (problems.length > 0)
    throw new UsageError([...new Set(problems.map((problem) => problem.message))].join('\n'));
}

/**
 * Refuses engines (`engine:…` at the head of a role chain) that cannot run here: a program missing or
 * too old, a key not set, an engine for a role engines do not serve. Runs the programs' `--version`.
 */
export async function checkEngines(
  config: CadreConfig,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<void> {
  try {
    await prepareFleetEngines(parseModelsConfig(config.models), env, tmpdir(), signal);
  } catch (error) {
    if (error instanceof EngineUnavailableError) throw new UsageError(error.message);
    throw error;
  }
}

/** The simulated planner, worker and judge (`sim:` models), set up the same way in every process of a run. */
export function fleetSimPolicies(config: CadreConfig, tasksPerPlanner = 4) {
  return createFleetSimPolicies({
    tasksPerPlanner,
    subplannersPerPlanner: config.fleet.maxSubplanners,
    sharedIndex: true,
  });
}

function progressLine(progress: FleetProgress): string {
  const { tasks, agents } = progress;
  return (
    `cycle ${progress.cycle} | agents: ${agents.planner} planning, ${agents.worker} working, ${agents.judge} judging` +
    ` | tasks: ${tasks.open} open, ${tasks.leased} leased, ${tasks.done} done, ${tasks.failed} failed` +
    ` | ${progress.agentsStarted} agents so far | $${progress.costUsd.toFixed(4)}${progress.paused ? ' | PAUSED' : ''}`
  );
}

/** Options of driveRun. */
export interface DriveRunOptions {
  repo: string;
  board: TaskBoard;
  run: Run;
  config: CadreConfig;
  json: boolean;
  /** Simulated fleet settings when the roles use `sim:` models. */
  simTasksPerPlanner?: number;
  /** The sandbox checked at start (checkSandbox). */
  sandbox: Sandbox;
}

/**
 * Drives a run in this process (a new run, a resumed one, the demo): assembles the fleet, shows
 * progress, fetches the result into the user's repository as `cadre/<run-id>`, prints a summary.
 * A run that ended `failed` throws RunFailedError after the summary, so the exit code says so.
 */
export async function driveRun(
  io: CliIo,
  options: DriveRunOptions,
): Promise<RunSummary & { branch: string | null }> {
  const { repo, board, run, config } = options;
  const release = await acquireRunLock(join(cadreDirectory(repo), 'runs', `${run.id}.lock`));
  try {
    const log = (line: string) => io.stderr(`${line}\n`);
    const deps = await createFleetDependencies({
      repo,
      board,
      config,
      runId: run.id,
      env: io.env,
      simPolicies: fleetSimPolicies(config, options.simTasksPerPlanner),
      signal: io.signal,
      log,
      sandbox: options.sandbox,
    });
    io.stderr(`run ${run.id} on ${repo}\n`);
    const summary = await runFleet({
      deps,
      runId: run.id,
      signal: io.signal,
      onProgress: (progress) => io.stderr(`${progressLine(progress)}\n`),
    });
    let branch: string | null = null;
    // a remote hub is fetched the same way: from its URL into cadre/<run-id>
    if (existsSync(join(repo, '.git'))) {
      const result = await fetchRunResult({
        hub: deps.hub,
        userRepo: repo,
        runId: run.id,
        git: createGit(),
        signal: new AbortController().signal,
      });
      branch = result.branch;
    }
    const full = { ...summary, branch };
    if (options.json) printJson(io, full);
    else {
      io.stdout(`\nrun ${summary.runId}: ${summary.status} (${summary.reason})\n`);
      for (const cycle of summary.cycles) {
        io.stdout(
          `  cycle ${cycle.n}: ${cycle.status}${cycle.verdict ? `, verdict ${cycle.verdict.continue ? 'continue' : 'stop'} at score ${cycle.verdict.score}` : ''}\n`,
        );
      }
      const { tasks } = summary;
      io.stdout(
        `  tasks: ${tasks.done} done, ${tasks.failed} failed, ${tasks.cancelled} cancelled, ${tasks.open} open\n`,
      );
      io.stdout(
        `  agents: ${summary.agentsStarted}, busy ${(summary.busyMs / 1000).toFixed(1)} s, $${summary.costUsd.toFixed(4)}, wall ${(summary.wallMs / 1000).toFixed(1)} s\n`,
      );
      for (const note of summary.notes) io.stdout(`  note: ${note}\n`);
      if (branch) io.stdout(`  result: branch ${branch} in ${repo}\n`);
    }
    if (summary.status === 'failed') throw new RunFailedError(summary.runId, summary.reason);
    return full;
  } finally {
    await release();
  }
}
