import type { Command } from 'commander';
import { runBoardBench } from '../../bench/board-bench.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';
import { registerBenchLandingCommand } from './bench-landing-command.ts';

/** Registers `cadre bench …`: benchmarks that print one JSON object. */
export function registerBenchCommand(program: Command, io: CliIo) {
  const bench = program
    .command('bench')
    .description('benchmarks; each prints one JSON object on stdout (progress goes to stderr)');
  bench
    .command('board')
    .description('claim + complete throughput of the board, against a raw SQLite write loop')
    .option('--backend <name>', 'board backend (sqlite)', 'sqlite')
    .option('--tasks <n>', 'tasks to claim and complete per measurement', '20000')
    .option('--workers <n>', 'concurrent claimers per process', '128')
    .option('--processes <n>', 'processes in the multi-process measurement', '4')
    .option('--rounds <n>', 'repetitions; the best figure of each kind is kept', '3')
    .option('--json', 'print only the JSON object (the default output is the same JSON)')
    .action(async (options: Record<string, string>) => {
      if (options.backend !== 'sqlite') {
        throw new UsageError(
          `--backend ${options.backend} is not available; this cadre has the sqlite board`,
        );
      }
      const result = await runBoardBench({
        tasks: parsePositiveInteger('--tasks', options.tasks as string, 10_000_000),
        workers: parsePositiveInteger('--workers', options.workers as string, 10_000),
        processes: parsePositiveInteger('--processes', options.processes as string, 64),
        rounds: parsePositiveInteger('--rounds', options.rounds as string, 100),
        signal: io.signal,
        progress: (line) => io.stderr(`${line}\n`),
      });
      printJson(io, result);
    });
  registerBenchLandingCommand(bench, io);
}
