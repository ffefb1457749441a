import type { Command } from 'commander';
import { runBoardBench, runFleetBench, runPostgresBoardBench } from '../../bench/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';
import { registerBenchCoordinationCommand } from './bench-coordination-command.ts';
import { registerBenchLandingCommand } from './bench-landing-command.ts';
import { registerBenchQueueCommand } from './bench-queue-command.ts';
import { registerBenchWorktreesCommand } from './bench-worktrees-command.ts';

/** Registers `cadre bench …`: benchmarks that print one JSON object. */
export function registerBenchCommand(program: Command, io: CliIo) {
  const bench = program
    .command('bench')
    .description('benchmarks; each prints one JSON object on stdout (progress goes to stderr)');
  bench
    .command('board')
    .description(
      'claim + complete throughput of the board, against a raw write loop (and graphile-worker on postgres)',
    )
    .option('--backend <name>', 'board backend: sqlite or postgres', 'sqlite')
    .option(
      '--board <url>',
      'postgres only: a database to measure on (default: a throwaway server the bench starts)',
    )
    .option('--tasks <n>', 'tasks to claim and complete per measurement', '20000')
    .option(
      '--workers <n>',
      "concurrent claimers per process; on postgres also graphile-worker's concurrency",
      '128',
    )
    .option('--processes <n>', 'processes in the multi-process measurement', '4')
    .option('--rounds <n>', 'repetitions; the best figure of each kind is kept', '3')
    .option(
      '--durability <mode>',
      'postgres throwaway server only: on (fsync and full_page_writes as shipped) or off',
      'on',
    )
    .option('--json', 'print only the JSON object (the default output is the same JSON)')
    .action(async (options: Record<string, string>) => {
      const backend = options.backend;
      if (backend !== 'sqlite' && backend !== 'postgres') {
        throw new UsageError(`--backend ${backend} is not available; use sqlite or postgres`);
      }
      if (options.board !== undefined && backend !== 'postgres') {
        throw new UsageError('--board is for --backend postgres; the sqlite bench makes its own files');
      }
      const durability = options.durability;
      if (durability !== 'on' && durability !== 'off') {
        throw new UsageError(`--durability ${durability} is not a mode; use on or off`);
      }
      if (durability === 'off' && (backend !== 'postgres' || options.board !== undefined)) {
        throw new UsageError(
          '--durability off is for the throwaway PostgreSQL server; a server given with --board keeps its own settings (printed in the JSON)',
        );
      }
      const common = {
        tasks: parsePositiveInteger('--tasks', options.tasks as string, 10_000_000),
        workers: parsePositiveInteger('--workers', options.workers as string, 10_000),
        processes: parsePositiveInteger('--processes', options.processes as string, 64),
        rounds: parsePositiveInteger('--rounds', options.rounds as string, 100),
        signal: io.signal,
        progress: (line: string) => io.stderr(`${line}\n`),
      };
      const result =
        backend === 'postgres'
          ? await runPostgresBoardBench({ ...common, url: options.board, durability })
          : await runBoardBench(common);
      printJson(io, result);
    });
  registerBenchLandingCommand(bench, io);
  registerBenchQueueCommand(bench, io);
  registerBenchCoordinationCommand(bench, io);
  registerBenchWorktreesCommand(bench, io);
  bench
    .command('fleet')
    .description(
      'the hierarchical fleet on the sim model with a fixed latency per step: how busy the agents are',
    )
    .option('--agents <n>', 'agent slots in all (planners + workers)', '100')
    .option('--latency-ms <n>', 'simulated latency of every model call', '200')
    .option('--tasks-per-worker <n>', 'work tasks per worker slot (enough to measure the steady state)', '40')
    .option('--json', 'print only the JSON object (the default output is the same JSON)')
    .action(async (options: Record<string, string>) => {
      const result = await runFleetBench({
        agents: parsePositiveInteger('--agents', options.agents as string, 100_000),
        latencyMs: parsePositiveInteger('--latency-ms', options.latencyMs as string, 600_000),
        tasksPerWorker: parsePositiveInteger('--tasks-per-worker', options.tasksPerWorker as string, 10_000),
        signal: io.signal,
        progress: (line) => io.stderr(`${line}\n`),
      });
      printJson(io, result);
    });
}
