import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { coordinationChart, coordinationTable, runCoordinationLab, StrategyName } from '../../bench/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';

/** The defaults of `cadre bench coordination`; docs/coordination-lab.md explains each. */
export const coordinationDefaults = {
  agents: '1,5,20',
  strategies: 'flat-lock,flat-occ,hierarchical',
  seed: '1',
  latencyMs: '100',
  tasksPerAgent: '30',
  workSteps: '3',
  lockTtlSteps: '10',
  holdTooLongRate: '0.1',
  holdTooLongSteps: '3',
  forgetReleaseRate: '0.02',
  reacquireRate: '0.02',
  unlockedWriteRate: '0.02',
  maxWallS: '10',
  sweepWorkSteps: '1,3,9',
  sweepFaultRates: '0,0.02,0.1',
  sweepAgents: '20',
  out: join('.cadre', 'bench', 'coordination'),
} as const;

function parseRate(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(`${flag} must be a number from 0 to 1, not "${value}"`);
  }
  return number;
}

function parseWorkSteps(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 1_000)
    throw new UsageError(`${flag} must be a whole number from 0 to 1000, not "${value}"`);
  return number;
}

function parseList(flag: string, value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} needs at least one value`);
  return items;
}

function parseStrategies(value: string): StrategyName[] {
  return parseList('--strategies', value).map((item) => {
    const parsed = StrategyName.safeParse(item);
    if (!parsed.success)
      throw new UsageError(`--strategies: "${item}" is not one of ${StrategyName.options.join(', ')}`);
    return parsed.data;
  });
}

/** Registers `cadre bench coordination`: flat-lock, flat-occ and hierarchical side by side. */
export function registerBenchCoordinationCommand(bench: Command, io: CliIo) {
  const defaults = coordinationDefaults;
  bench
    .command('coordination')
    .description(
      'the coordination lab: flat peers under a lock, flat peers with optimistic writes, and cadre’s planner/worker hierarchy, on the sim model',
    )
    .option('--agents <list>', 'agent counts, comma-separated', defaults.agents)
    .option('--strategies <list>', 'strategies, comma-separated', defaults.strategies)
    .option(
      '--git',
      'real git: a demo repository, worktrees and the real lander (default: landing is a board record)',
    )
    .option('--seed <n>', 'seed of the sim model and of the injected faults', defaults.seed)
    .option('--latency-ms <n>', 'simulated latency of every model call', defaults.latencyMs)
    .option(
      '--tasks-per-agent <n>',
      'work tasks per agent, at most 16,000 per run; every strategy gets the same task set',
      defaults.tasksPerAgent,
    )
    .option('--work-steps <n>', 'model calls’ worth of time a flat peer’s do_work takes', defaults.workSteps)
    .option(
      '--lock-ttl-steps <n>',
      'the lock’s TTL in model calls (TTL = steps × latency)',
      defaults.lockTtlSteps,
    )
    .option(
      '--hold-too-long-rate <p>',
      'flat-lock: chance per cycle a peer dawdles under the lock',
      defaults.holdTooLongRate,
    )
    .option(
      '--hold-too-long-steps <n>',
      'flat-lock: extra model calls a dawdling peer holds the lock',
      defaults.holdTooLongSteps,
    )
    .option(
      '--forget-release-rate <p>',
      'flat-lock: chance per cycle a peer never releases (TTL frees it)',
      defaults.forgetReleaseRate,
    )
    .option(
      '--reacquire-rate <p>',
      'flat-lock: chance per cycle a holder acquires again and waits on itself',
      defaults.reacquireRate,
    )
    .option(
      '--unlocked-write-rate <p>',
      'flat-lock: chance per cycle a peer rewrites the list without the lock',
      defaults.unlockedWriteRate,
    )
    .option(
      '--max-wall-s <n>',
      'stop every run (every strategy alike) still going after this many seconds and mark it cut off',
      defaults.maxWallS,
    )
    .option(
      '--sweep-work-steps <list>',
      'flat-lock sweep: work steps, comma-separated (0 and up)',
      defaults.sweepWorkSteps,
    )
    .option(
      '--sweep-fault-rates <list>',
      'flat-lock sweep: fault rates, comma-separated; each sets all four lock faults at once',
      defaults.sweepFaultRates,
    )
    .option('--sweep-agents <n>', 'flat-lock sweep: peers in every sweep cell', defaults.sweepAgents)
    .option('--no-sweep', 'skip the flat-lock sweep')
    .option('--out <dir>', 'where the markdown report and the SVG chart go', defaults.out)
    .option('--json', 'print only the JSON object (the default output is the same JSON)')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const text = (key: keyof typeof defaults) => String(options[key] ?? defaults[key]);
      const agentCounts = parseList('--agents', text('agents')).map((item) =>
        parsePositiveInteger('--agents', item, 5_000),
      );
      const strategies = parseStrategies(text('strategies'));
      const tasksPerAgent = parsePositiveInteger('--tasks-per-agent', text('tasksPerAgent'), 1_000);
      const seed = Number(text('seed'));
      if (!Number.isInteger(seed))
        throw new UsageError(`--seed must be a whole number, not "${text('seed')}"`);
      // commander sets `sweep` to false for --no-sweep; the sweep's lists are checked before any run
      const sweep =
        options.sweep === false
          ? null
          : {
              workSteps: parseList('--sweep-work-steps', text('sweepWorkSteps')).map((item) =>
                parseWorkSteps('--sweep-work-steps', item),
              ),
              faultRates: parseList('--sweep-fault-rates', text('sweepFaultRates')).map((item) =>
                parseRate('--sweep-fault-rates', item),
              ),
              agents: parsePositiveInteger('--sweep-agents', text('sweepAgents'), 5_000),
            };
      const report = await runCoordinationLab({
        agentCounts,
        strategies,
        tasksPerAgent,
        sweep,
        git: options.git === true,
        settings: {
          seed,
          latencyMs: parsePositiveInteger('--latency-ms', text('latencyMs'), 600_000),
          workSteps: parsePositiveInteger('--work-steps', text('workSteps'), 1_000),
          lockTtlSteps: parsePositiveInteger('--lock-ttl-steps', text('lockTtlSteps'), 10_000),
          maxWallSeconds: parsePositiveInteger('--max-wall-s', text('maxWallS'), 86_400),
          faults: {
            holdTooLong: parseRate('--hold-too-long-rate', text('holdTooLongRate')),
            holdTooLongSteps: parsePositiveInteger('--hold-too-long-steps', text('holdTooLongSteps'), 100),
            forgetRelease: parseRate('--forget-release-rate', text('forgetReleaseRate')),
            reacquire: parseRate('--reacquire-rate', text('reacquireRate')),
            unlockedWrite: parseRate('--unlocked-write-rate', text('unlockedWriteRate')),
          },
        },
        signal: io.signal,
        progress: (line) => io.stderr(`${line}\n`),
      });
      const out = resolve(io.cwd, text('out'));
      await mkdir(out, { recursive: true });
      const markdown = coordinationTable(report);
      const tablePath = join(out, 'coordination.md');
      const chartPath = join(out, 'coordination.svg');
      await writeFile(tablePath, markdown);
      await writeFile(chartPath, coordinationChart(report));
      // the report for a reader goes with the progress; stdout is one JSON object, always
      io.stderr(`\n${markdown}\nwrote ${tablePath} and ${chartPath}\n`);
      printJson(io, { ...report, table: tablePath, chart: chartPath });
    });
}
