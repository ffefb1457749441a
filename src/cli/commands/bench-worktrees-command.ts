import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { defaultWorktreesSetup, runWorktreesBench, worktreesTable } from '../../bench/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';

const run = promisify(execFile);
const shareModes = ['auto', 'reflink', 'hardlink', 'copy'] as const;

/** `--repo` made absolute, after checking it is a git repository with a commit (else a UsageError). */
async function checkRepo(io: CliIo, value: string): Promise<string> {
  const repo = resolve(io.cwd, value);
  if (!(await stat(repo).catch(() => null))?.isDirectory())
    throw new UsageError(`--repo ${value} is not a directory`);
  const head = await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    signal: io.signal,
  }).catch(() => null);
  if (head === null) throw new UsageError(`--repo ${value} is not a git repository with a commit`);
  return repo;
}

/** Parses `--count`: two worktrees at least, since the figures compare the first with the next ones. */
function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 2 || count > 1000)
    throw new UsageError(`--count must be a whole number from 2 to 1000, not "${value}"`);
  return count;
}

/** Registers `cadre bench worktrees` under `bench`: ready worktrees from a template against each running setup. */
export function registerBenchWorktreesCommand(bench: Command, io: CliIo) {
  bench
    .command('worktrees')
    .description(
      'N worktrees readied from one template (dependencies installed once) against N running the setup each: time, disk, tests',
    )
    .option(
      '--repo <dir>',
      'git repository whose HEAD is used (default: the bundled npm project, 300+ packages)',
    )
    .option('--setup <cmd>', `setup command line, run in the sandbox (default: ${defaultWorktreesSetup})`)
    .option('--test <cmd>', 'command run in every ready worktree, in the sandbox', 'npm test')
    .option('--count <n>', 'worktrees per arm', '20')
    .option('--concurrency <k>', 'worktrees made at once after the first, in both arms', '1')
    .option('--share <mode>', 'how template files reach worktrees: auto, reflink, hardlink or copy', 'auto')
    .option('--json', 'print one JSON object instead of the table')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const count = parseCount(String(options.count));
      const concurrency = parsePositiveInteger('--concurrency', String(options.concurrency), 64);
      const share = String(options.share);
      if (!shareModes.includes(share as (typeof shareModes)[number]))
        throw new UsageError(`--share must be one of ${shareModes.join(', ')}, not "${share}"`);
      const text = (key: string) => {
        const value = options[key];
        if (value === undefined) return undefined;
        if (String(value).trim() === '') throw new UsageError(`--${key} must not be empty`);
        return String(value);
      };
      const setup = text('setup');
      const test = text('test');
      const repo = typeof options.repo === 'string' ? await checkRepo(io, options.repo) : undefined;
      const result = await runWorktreesBench({
        ...(repo ? { repo } : {}),
        ...(setup ? { setup } : {}),
        ...(test ? { test } : {}),
        count,
        concurrency,
        share: share as (typeof shareModes)[number],
        signal: io.signal,
        progress: (line) => io.stderr(`${line}\n`),
      });
      if (options.json === true) printJson(io, result);
      else io.stdout(worktreesTable(result));
    });
}
