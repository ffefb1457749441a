import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseModelsConfig } from '../../llm/index.ts';
import {
  type CadreConfig,
  ConfigError,
  createDemoRepository,
  loadCadreConfig,
  parseCadreConfig,
  readRunLock,
  seedRemoteHub,
} from '../../orchestrator/index.ts';
import { startDashboardForRun } from '../../server/index.ts';
import { createGit } from '../../workspace/index.ts';
import { openBoardFromFlag } from '../board-flag.ts';
import { type CliIo, parsePositiveInteger, UsageError } from '../cli-io.ts';
import {
  cadreDirectory,
  checkEngines,
  checkModels,
  driveRun,
  openRepositoryBoard,
  resolveRun,
} from '../fleet-cli.ts';
import { checkSandbox } from '../sandbox-check.ts';
import { checkSetup } from '../setup-check.ts';

const git = createGit();

async function checkRepository(repo: string, signal: AbortSignal): Promise<void> {
  const top = await git(['rev-parse', '--show-toplevel'], {
    cwd: repo,
    signal,
    acceptExitCodes: [128],
  }).catch(() => null);
  if (top?.exitCode !== 0)
    throw new UsageError(
      `${repo} is not a git repository; cadre works on a git repository (git init, commit, then run)`,
    );
  const dirty = await git(['status', '--porcelain', '--untracked-files=no'], { cwd: repo, signal });
  if (dirty.stdout.trim() !== '') {
    throw new UsageError(
      `${repo} has uncommitted changes to tracked files; commit or stash them first — cadre starts from HEAD and never touches your working tree`,
    );
  }
}

interface RunFlags {
  goal?: string;
  goalFile?: string;
  repo?: string;
  config?: string;
  db?: string;
  board?: string;
  hub?: string;
  workers?: string;
  planners?: string;
  cycles?: string;
  budgetUsd?: string;
  model: string[];
  json?: boolean;
  ui?: boolean;
  uiPort?: string;
}

function applyOverrides(config: CadreConfig, flags: RunFlags): CadreConfig {
  const fleet = { ...config.fleet };
  // 0 local agents of a role is allowed: joined `cadre worker` processes do that part
  if (flags.workers) fleet.workers = parseCount('--workers', flags.workers, 10_000);
  if (flags.planners) fleet.planners = parseCount('--planners', flags.planners, 1000);
  if (flags.cycles) fleet.cycles = parsePositiveInteger('--cycles', flags.cycles, 1000);
  if (flags.budgetUsd !== undefined) {
    const budget = Number(flags.budgetUsd);
    if (!Number.isFinite(budget) || budget <= 0)
      throw new UsageError(`--budget-usd must be a positive number, not "${flags.budgetUsd}"`);
    fleet.budgetUsd = budget;
  }
  const models = { ...(config.models as Record<string, unknown>) };
  const roles = { ...((models.roles as Record<string, string[]> | undefined) ?? {}) };
  for (const assignment of flags.model) {
    const match = /^([a-z][a-z0-9-]*)=(.+)$/.exec(assignment);
    if (!match)
      throw new UsageError(`--model takes ROLE=ID, like --model worker=openai:gpt-5.2, not "${assignment}"`);
    roles[match[1] as string] = [match[2] as string];
  }
  models.roles = roles;
  const workspace = flags.hub
    ? { ...config.workspace, hub: { type: 'remote', url: flags.hub } }
    : config.workspace;
  return parseCadreConfig({ ...config, models, fleet, workspace }, 'the command line');
}

function parseCount(flag: string, value: string, maximum: number): number {
  return value === '0' ? 0 : parsePositiveInteger(flag, value, maximum);
}

function requireRoles(config: CadreConfig) {
  const roles = parseModelsConfig(config.models).roles;
  const missing = ['planner', 'worker', 'judge'].filter((role) => !roles[role] && !roles.default);
  if (missing.length > 0) {
    throw new UsageError(
      `no model for ${missing.join(', ')}: write cadre.config.json with cadre init, or pass --model ${missing[0]}=ID (sim:${missing[0]} runs without a network)`,
    );
  }
}

/** Registers `cadre run`, `cadre resume` and `cadre demo`. */
export function registerRunCommands(program: Command, io: CliIo) {
  const collect = (value: string, previous: string[]) => [...previous, value];
  program
    .command('run')
    .description('start a run: planners, workers and a judge in cycles on a git repository')
    .option('--goal <text>', 'what the fleet should achieve')
    .option('--goal-file <file>', 'read the goal from a file')
    .option('--repo <dir>', 'the git repository (default: the current directory)')
    .option('--config <file>', 'config file (default: <repo>/cadre.config.json)')
    .option('--db <path>', 'board file (default: <repo>/.cadre/board.db)')
    .option('--board <url|path>', 'the board: a postgres:// URL (multi-machine runs) or a SQLite file')
    .option(
      '--hub <git url>',
      'keep the shared branch in this git remote (or bare repo path) so workers can join',
    )
    .option('--workers <n>', 'worker agents at once in this process (0: only joined cadre workers)')
    .option('--planners <n>', 'planner agents at once in this process (0: only joined cadre workers)')
    .option('--cycles <n>', 'most cycles')
    .option('--budget-usd <x>', 'stop when the agents have spent this much')
    .option('--model <role=id>', 'model for a role (repeatable), e.g. worker=openai:gpt-5.2', collect, [])
    .option('--json', 'print the summary as JSON (progress goes to stderr)')
    .option(
      '--ui',
      'serve the live dashboard while the run goes (its URL, with the access token, is printed)',
    )
    .option('--ui-port <n>', 'port of the dashboard (default: a free one)')
    .action(async (flags: RunFlags) => {
      if (!flags.goal && !flags.goalFile)
        throw new UsageError('give the goal with --goal TEXT or --goal-file FILE');
      const goal =
        flags.goal ??
        (await readFile(resolve(io.cwd, flags.goalFile as string), 'utf8').catch((error: Error) => {
          throw new UsageError(`cannot read --goal-file: ${error.message}`);
        }));
      if (!goal.trim()) throw new UsageError('the goal is empty');
      const repo = resolve(io.cwd, flags.repo ?? '.');
      await checkRepository(repo, io.signal);
      let config: CadreConfig;
      try {
        config = applyOverrides(
          await loadCadreConfig(
            flags.config ? resolve(io.cwd, flags.config) : undefined,
            join(repo, 'cadre.config.json'),
            io.signal,
          ),
          flags,
        );
      } catch (error) {
        if (error instanceof ConfigError) throw new UsageError(error.message);
        throw error;
      }
      requireRoles(config);
      checkModels(config, io.env);
      await checkEngines(config, io.env, io.signal);
      await checkSetup(config, repo);
      const { sandbox } = await checkSandbox(config, io, { required: true });
      const hub = config.workspace.hub;
      if (hub.type === 'remote') {
        const url = await seedRemoteHub({
          hub: hub.url,
          repo,
          branch: config.workspace.branch,
          git,
          cwd: io.cwd,
          signal: io.signal,
        }).catch((error: Error) => {
          throw new UsageError(`cannot use ${hub.url} as the hub: ${error.message}`);
        });
        // workers on other machines read the hub from the run's stored config
        config = parseCadreConfig(
          { ...config, workspace: { ...config.workspace, hub: { ...hub, url } } },
          'the command line',
        );
      }
      const board = await openBoardFromFlag(io, {
        repo,
        board: flags.board,
        db: flags.db,
        create: true,
        maxAttempts: config.fleet.maxAttempts,
      });
      try {
        const run = await board.createRun({ goal, config, budgetUsd: config.fleet.budgetUsd || null });
        const ui = flags.ui
          ? await startDashboardForRun({
              board,
              io,
              ...(flags.uiPort ? { port: parsePositiveInteger('--ui-port', flags.uiPort, 65_535) } : {}),
            })
          : null;
        try {
          await driveRun(io, { repo, board, run, config, json: Boolean(flags.json), sandbox });
        } finally {
          await ui?.close();
        }
      } finally {
        await board.close();
      }
    });

  program
    .command('resume')
    .description('continue a run whose process died, or un-pause a run that is paused')
    .option('--run <id>', 'the run (default: the newest on the board)')
    .option('--repo <dir>', 'the git repository (default: the current directory)')
    .option('--db <path>', 'board file (default: <repo>/.cadre/board.db)')
    .option('--board <url|path>', 'the board: a postgres:// URL or a SQLite file')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: { run?: string; repo?: string; db?: string; board?: string; json?: boolean }) => {
      const repo = resolve(io.cwd, flags.repo ?? '.');
      const named = { repo, board: flags.board, db: flags.db, create: false };
      let board = await openBoardFromFlag(io, named);
      try {
        const run = await resolveRun(board, flags.run);
        const owner = await readRunLock(join(cadreDirectory(repo), 'runs', `${run.id}.lock`));
        if (owner) {
          await board.sendMessage({ recipient: { type: 'run', runId: run.id }, kind: 'resume' });
          io.stdout(`run ${run.id} is driven by process ${owner.pid}; sent it a resume\n`);
          return;
        }
        if (run.status === 'done' || run.status === 'failed')
          throw new UsageError(`run ${run.id} has ended (${run.status}); start a new one with cadre run`);
        let config: CadreConfig;
        try {
          config = parseCadreConfig(run.config, `the config stored with run ${run.id}`);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        checkModels(config, io.env);
        await checkEngines(config, io.env, io.signal);
        const { sandbox } = await checkSandbox(config, io, { required: true });
        // the reaper fails a task after the run's own number of attempts, so reopen with it
        await board.close();
        board = await openBoardFromFlag(io, { ...named, maxAttempts: config.fleet.maxAttempts });
        await driveRun(io, { repo, board, run, config, json: Boolean(flags.json), sandbox });
      } finally {
        await board.close();
      }
    });

  program
    .command('demo')
    .description('a simulated fleet (sim models, labeled as such) on a scratch repository, two cycles')
    .option('--agents <n>', 'worker agents at once', '8')
    .option('--dir <dir>', 'where to create the scratch repository (default: a new temp directory)')
    .option('--latency-ms <n>', 'median simulated model latency per step', '300')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: { agents: string; dir?: string; latencyMs: string; json?: boolean }) => {
      const workers = parsePositiveInteger('--agents', flags.agents, 1000);
      const latency = Number(flags.latencyMs);
      if (!Number.isFinite(latency) || latency < 0)
        throw new UsageError(`--latency-ms must be a number of milliseconds, not "${flags.latencyMs}"`);
      const repo = resolve(io.cwd, flags.dir ?? join(mkdtempSync(join(tmpdir(), 'cadre-demo-')), 'project'));
      await createDemoRepository({ directory: repo, git, signal: io.signal });
      io.stderr(
        `cadre demo: a SIMULATED fleet — sim:planner, sim:worker and sim:judge follow fixed rules; no model reasons here.\n` +
          `scratch repository: ${repo}\n`,
      );
      const config = parseCadreConfig(
        {
          models: {
            roles: { planner: ['sim:planner'], worker: ['sim:worker'], judge: ['sim:judge'] },
            sim: {
              latency:
                latency > 0
                  ? { type: 'log-normal', medianMs: latency, sigma: 0.4 }
                  : { type: 'fixed', ms: 0 },
            },
          },
          fleet: { planners: 2, workers, cycles: 2, maxSubplanners: 4, leaseTtlMs: 30_000 },
          // the demo's simulated workers never run shell commands; no sandbox is needed
          tools: { shell: { allowUnsandboxed: false } },
        },
        'the demo',
      );
      const { sandbox } = await checkSandbox(config, io, { required: false });
      const board = openRepositoryBoard(io, repo, undefined, true);
      try {
        const run = await board.createRun({
          goal: 'Add small feature modules to every area of the project (simulated demo).',
          config,
        });
        await driveRun(io, {
          repo,
          board,
          run,
          config,
          json: Boolean(flags.json),
          simTasksPerPlanner: Math.max(2, Math.ceil(workers / 2)),
          sandbox,
        });
        if (!flags.json)
          io.stdout(`  look inside: cadre board show --db ${join(repo, '.cadre', 'board.db')}\n`);
      } finally {
        await board.close();
      }
    });
}
