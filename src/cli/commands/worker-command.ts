import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { TaskBoard } from '../../board/index.ts';
import {
  createAgentPlacement,
  createFleetDependencies,
  type FleetDependencies,
  parseCadreConfig,
  runJoinedWorker,
} from '../../orchestrator/index.ts';
import type { Run } from '../../protocol/index.ts';
import { isPostgresUrl, openBoardFromFlag } from '../board-flag.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';
import { checkEngines, checkModels, fleetSimPolicies } from '../fleet-cli.ts';
import { checkSandbox } from '../sandbox-check.ts';
import { checkSetup } from '../setup-check.ts';

interface WorkerFlags {
  board?: string;
  roles: string;
  max: string;
  run?: string;
  workdir?: string;
  stay?: boolean;
  json?: boolean;
}

function parseRoles(value: string): ('planner' | 'worker')[] {
  const roles = value
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const unknown = roles.filter((role) => role !== 'planner' && role !== 'worker');
  if (roles.length === 0 || unknown.length > 0)
    throw new UsageError(`--roles takes worker, planner or both (worker,planner), not "${value}"`);
  return [...new Set(roles)] as ('planner' | 'worker')[];
}

/** Registers `cadre worker`: join live runs on a shared board from any machine. */
export function registerWorkerCommand(program: Command, io: CliIo) {
  program
    .command('worker')
    .description('join live runs on a shared board: claim their tasks and run agents on this machine')
    .option('--board <url>', 'the shared board: a postgres:// URL (or a SQLite file on this machine)')
    .option(
      '--roles <list>',
      'which tasks to take: worker (work tasks), planner (plan tasks)',
      'worker,planner',
    )
    .option('--max <n>', 'agents at once on this machine', '4')
    .option('--run <id>', 'serve only this run (default: every live run on the board)')
    .option('--workdir <dir>', 'hub caches and worktrees (default: a temp dir removed on exit)')
    .option('--stay', 'keep waiting for new runs after the served ones end (default: exit)')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: WorkerFlags) => {
      if (!flags.board) throw new UsageError('give the shared board with --board postgres://…');
      const roles = parseRoles(flags.roles);
      const maxAgents = parsePositiveInteger('--max', flags.max, 1000);
      const workdir = flags.workdir
        ? resolve(io.cwd, flags.workdir)
        : mkdtempSync(join(tmpdir(), 'cadre-worker-'));
      const log = (line: string) => io.stderr(`${line}\n`);
      const named = { repo: workdir, board: flags.board, create: false };
      const board = await openBoardFromFlag(io, named);
      const placement = createAgentPlacement('worker');
      const runBoards = new Map<FleetDependencies, TaskBoard>();
      const openRun = async (run: Run, signal: AbortSignal) => {
        const config = parseCadreConfig(run.config, `the config stored with run ${run.id}`);
        if (config.workspace.hub.type !== 'remote')
          throw new Error(
            'its shared branch is in a local hub on the machine that drives it; start runs with --hub <git url> to let workers join',
          );
        checkModels(config, io.env);
        await checkEngines(config, io.env, io.signal);
        await checkSetup(config, null);
        const { sandbox } = await checkSandbox(config, io, { required: true });
        // each run fails a task after its own number of attempts
        const runBoard = isPostgresUrl(flags.board as string)
          ? await openBoardFromFlag(io, { ...named, maxAttempts: config.fleet.maxAttempts })
          : board;
        const directory = join(workdir, run.id);
        const deps = await createFleetDependencies({
          repo: directory,
          board: runBoard,
          config,
          runId: run.id,
          env: io.env,
          simPolicies: fleetSimPolicies(config),
          signal,
          log,
          placement,
          sandbox,
          localPaths: { hubCache: join(directory, 'hub-cache.git'), worktrees: join(directory, 'worktrees') },
        });
        if (runBoard !== board) runBoards.set(deps, runBoard);
        return deps;
      };
      io.stderr(`cadre worker ${placement.instance} (pid ${placement.pid}) on ${board.location}\n`);
      try {
        const summary = await runJoinedWorker({
          board,
          roles,
          maxAgents,
          ...(flags.run ? { runId: flags.run } : {}),
          stay: Boolean(flags.stay),
          openRun,
          closeRun: async (deps) => {
            await runBoards.get(deps)?.close();
            runBoards.delete(deps);
          },
          signal: io.signal,
          log,
        });
        if (flags.json) printJson(io, summary);
        else
          io.stdout(
            `worker done: ${summary.runs.length} runs, ${summary.agentsStarted} agents, ${summary.completed} tasks done, ` +
              `${summary.failed} failed, ${summary.leasesLost} leases lost\n`,
          );
      } finally {
        for (const runBoard of runBoards.values()) await runBoard.close().catch(() => {});
        await board.close();
        if (!flags.workdir) rmSync(workdir, { recursive: true, force: true });
      }
    });
}
