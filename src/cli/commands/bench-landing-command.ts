import type { Command } from 'commander';
import { runLandingBench } from '../../bench/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';

/** Parses a fraction flag from 0 to 1 or throws a UsageError naming the flag. */
function parseFraction(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(`${flag} must be a number from 0 to 1, not "${value}"`);
  }
  return number;
}

/** Registers `cadre bench landing` under the `bench` command: concurrent landers against serial pushes. */
export function registerBenchLandingCommand(bench: Command, io: CliIo) {
  bench
    .command('landing')
    .description(
      'concurrent landers (worktree, rebase, exactly-once, push) against one process pushing serially',
    )
    .option('--landers <n>', 'landers landing one change each, all at once', '100')
    .option(
      '--overlap <fraction>',
      'fraction of landers that also edit one shared file (they conflict and resolve)',
      '0',
    )
    .option('--concurrent-attempts <n>', 'landers of the process racing for the tip at once', '1')
    .option('--json', 'print only the JSON object (the default output is the same JSON)')
    .action(async (options: Record<string, string>) => {
      const result = await runLandingBench({
        landers: parsePositiveInteger('--landers', options.landers as string, 5000),
        overlap: parseFraction('--overlap', options.overlap as string),
        concurrentAttempts: parsePositiveInteger(
          '--concurrent-attempts',
          options.concurrentAttempts as string,
          5000,
        ),
        signal: io.signal,
        progress: (line) => io.stderr(`${line}\n`),
      });
      printJson(io, result);
    });
}
