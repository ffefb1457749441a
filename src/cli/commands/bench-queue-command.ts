import type { Command } from 'commander';
import { queueBenchDefaults, runQueueBench } from '../../bench/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';

/** Parses a fraction flag from 0 to 1 or throws a UsageError naming the flag. */
function parseFraction(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(`${flag} must be a number from 0 to 1, not "${value}"`);
  }
  return number;
}

/** Registers `cadre bench queue` under the `bench` command: the merge queue against one check per change. */
export function registerBenchQueueCommand(bench: Command, io: CliIo) {
  bench
    .command('queue')
    .description(
      'the merge queue against one check run per change and direct landing without checks, on the same simulated changes',
    )
    .option('--changes <n>', 'changes, one worker each, all landing at once', '200')
    .option('--bad-rate <fraction>', 'share of changes that break the checks', '0.1')
    .option('--conflict-rate <fraction>', 'share of changes in pairs that edit the same line', '0.05')
    .option('--check-ms <n>', 'how long one check run takes (it sleeps)', '2000')
    .option('--seed <n>', 'seed of which changes are bad and which conflict', '1')
    .option('--speculation <n>', 'merge queue: checks at once', String(queueBenchDefaults.speculation))
    .option(
      '--max-batch <n>',
      'merge queue: most changes checked together',
      String(queueBenchDefaults.maxBatch),
    )
    .option('--json', 'print only the JSON object (the default output is the same JSON)')
    .action(async (options: Record<string, string>) => {
      const seed = Number(options.seed);
      if (!Number.isInteger(seed))
        throw new UsageError(`--seed must be a whole number, not "${options.seed}"`);
      const result = await runQueueBench({
        changes: parsePositiveInteger('--changes', options.changes as string, 5000),
        badRate: parseFraction('--bad-rate', options.badRate as string),
        conflictRate: parseFraction('--conflict-rate', options.conflictRate as string),
        checkMs: parsePositiveInteger('--check-ms', options.checkMs as string, 600_000),
        seed,
        queue: {
          speculation: parsePositiveInteger('--speculation', options.speculation as string, 16),
          maxBatch: parsePositiveInteger('--max-batch', options.maxBatch as string, 100),
        },
        signal: io.signal,
        progress: (line) => io.stderr(`${line}\n`),
      });
      printJson(io, result);
    });
}
