import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { calibrationTolerance, runCalibration } from '../../eval/calibrate.ts';
import { compareRuns, comparisonTable } from '../../eval/compare/compare-runs.ts';
import { recommendRouting, routingConfig } from '../../eval/compare/recommend-routing.ts';
import { markdownTable } from '../../eval/report/markdown-table.ts';
import { createRunOutput, readRunSummary } from '../../eval/report/run-output.ts';
import { createEvalModelFactory } from '../../eval/runner/eval-model-factory.ts';
import { runEval } from '../../eval/runner/run-eval.ts';
import { createOraclePolicies } from '../../eval/sim/oracle-policy.ts';
import { plansOf } from '../../eval/sim/plans-of.ts';
import type { Suite } from '../../eval/suite.ts';
import { createSuiteRegistry } from '../../eval/suite-registry.ts';
import { loadModelsConfigFile } from '../../llm/cli/load-models-config.ts';
import {
  costOf,
  createPriceTable,
  createSimPolicyRegistry,
  parseModelId,
  parseModelsConfig,
  resolveConnection,
} from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/model-config.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';

/** The models `eval run` uses without --models: two labeled simulations that need no key. */
export const defaultEvalModels = 'sim:oracle-strong,sim:oracle-weak';

interface RunFlags {
  suite: string;
  models: string;
  role?: string;
  trials: string;
  samples?: string;
  concurrency: string;
  seed: string;
  json?: boolean;
  out?: string;
  config?: string;
}

async function loadConfig(io: CliIo, file: string | undefined): Promise<ModelsConfig> {
  const path = resolve(io.cwd, file ?? 'cadre.config.json');
  if (file === undefined && !existsSync(path)) return parseModelsConfig({});
  try {
    return await loadModelsConfigFile(path);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function loadSuite(io: CliIo, name: string, seed: number): Promise<Suite> {
  const definition = createSuiteRegistry().get(name);
  if (definition === undefined)
    throw new UsageError(`no suite named "${name}"; known: ${[...createSuiteRegistry().keys()].join(', ')}`);
  const workDirectory = await mkdtemp(join(tmpdir(), `cadre-eval-${name}-`));
  return definition.load({ signal: io.signal, seed, workDirectory });
}

function progressBar(io: CliIo, enabled: boolean) {
  return (done: number, total: number) => {
    if (!enabled) return;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} trials`);
    if (done === total) io.stderr('\n');
  };
}

function checkModels(
  ids: string[],
  config: ModelsConfig,
  env: NodeJS.ProcessEnv,
  simNames: ReadonlySet<string>,
): void {
  for (const id of ids) {
    let parsed: ReturnType<typeof parseModelId>;
    try {
      parsed = parseModelId(id);
    } catch (error) {
      throw new UsageError(`--models: ${(error as Error).message}`);
    }
    if (parsed.type === 'sim' && !simNames.has(parsed.name))
      throw new UsageError(`no sim policy named "${parsed.name}"; known: ${[...simNames].join(', ')}`);
    const connection = resolveConnection(parsed, config, env);
    if (connection.type === 'missing') throw new UsageError(`cannot run ${id}: ${connection.message}`);
  }
}

async function runCommand(io: CliIo, flags: RunFlags): Promise<void> {
  const trials = parsePositiveInteger('--trials', flags.trials, 1000);
  const concurrency = parsePositiveInteger('--concurrency', flags.concurrency, 256);
  const sampleLimit =
    flags.samples === undefined ? undefined : parsePositiveInteger('--samples', flags.samples);
  const seed = parsePositiveInteger('--seed', flags.seed);
  const modelIds = flags.models
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (modelIds.length === 0) throw new UsageError('--models needs at least one model id');
  const config = await loadConfig(io, flags.config);
  const suite = await loadSuite(io, flags.suite, seed);
  try {
    const simPolicies = createSimPolicyRegistry(createOraclePolicies(plansOf(suite)));
    checkModels(modelIds, config, io.env, new Set(simPolicies.keys()));
    const outDirectory = resolve(io.cwd, flags.out ?? join('.cadre', 'eval', `${suite.name}-${Date.now()}`));
    const output = await createRunOutput(outDirectory);
    const prices = createPriceTable(config.pricing);
    const run = await runEval({
      suite,
      modelIds,
      ...(flags.role === undefined ? {} : { role: flags.role }),
      trials,
      ...(sampleLimit === undefined ? {} : { sampleLimit }),
      concurrency,
      seed,
      createModel: createEvalModelFactory({ config, env: io.env, simPolicies }),
      costOf: (modelId, usage) => costOf(prices, modelId, usage),
      signal: io.signal,
      onTrial: (record) => output.appendTrial(record),
      onProgress: progressBar(io, flags.json !== true),
    });
    await output.finish(run.summary);
    if (flags.json) printJson(io, { outDirectory, summary: run.summary });
    else
      io.stdout(
        `${markdownTable(run.summary)}\nwrote ${outDirectory} (trials.jsonl, summary.json, report.md, report.html)\n`,
      );
  } finally {
    await suite.close();
  }
}

/** Registers `cadre eval list|run|compare|calibrate|recommend`. */
export function registerEvalCommand(program: Command, io: CliIo): void {
  const command = program
    .command('eval')
    .description('evaluation lab: suites, trials, pass@k, cost and errors');
  command
    .command('list')
    .description('the suites you can run')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const suites = [...createSuiteRegistry().values()].map((suite) => ({
        name: suite.name,
        description: suite.description,
      }));
      if (flags.json) printJson(io, suites);
      else for (const suite of suites) io.stdout(`${suite.name.padEnd(14)} ${suite.description}\n`);
    });
  command
    .command('run')
    .description(
      'run models on a suite, k trials per sample; writes trials.jsonl, summary.json, report.md, report.html',
    )
    .requiredOption('--suite <name>', 'the suite to run (see eval list)')
    .option('--models <ids>', 'comma-separated model ids', defaultEvalModels)
    .option('--role <role>', "the role the models are measured in (default: the suite's solver role)")
    .option('--trials <k>', 'trials per sample and model', '3')
    .option('--samples <n>', 'run only n samples, spread over the suite')
    .option('--concurrency <c>', 'trials at a time', '4')
    .option('--seed <n>', 'seed of the generated world and the sim models', '1')
    .option('--out <dir>', 'run directory (default .cadre/eval/<suite>-<time>)')
    .option('--config <file>', 'models config (JSON; default ./cadre.config.json when present)')
    .option('--json', 'print the summary as JSON instead of the table and the progress bar')
    .action((flags: RunFlags) => runCommand(io, flags));
  command
    .command('compare')
    .description('the same table across runs, with differences and 95% bootstrap intervals')
    .argument('<dirs...>', 'run directories; the first is the baseline')
    .option('--json', 'print JSON')
    .action(async (directories: string[], flags: { json?: boolean }) => {
      if (directories.length < 2) throw new UsageError('eval compare needs at least two run directories');
      const runs = await Promise.all(
        directories.map(async (directory) => ({
          name: directory,
          summary: await readSummary(io, directory),
        })),
      );
      const rows = compareRuns(runs);
      if (flags.json) printJson(io, rows);
      else io.stdout(comparisonTable(rows));
    });
  command
    .command('calibrate')
    .description(
      `run simulated agents with known injected rates; measured must be within ±${calibrationTolerance} of injected`,
    )
    .requiredOption('--suite <name>', 'the suite to calibrate on')
    .option('--trials <n>', 'trials in all (at least 400)', '720')
    .option('--seed <n>', 'seed', '1')
    .option('--json', 'print JSON')
    .action(async (flags: { suite: string; trials: string; seed: string; json?: boolean }) => {
      const minimumTrials = parsePositiveInteger('--trials', flags.trials, 100_000);
      if (minimumTrials < 400)
        throw new UsageError('--trials must be at least 400 for the ±0.05 tolerance to mean anything');
      const seed = parsePositiveInteger('--seed', flags.seed);
      const suite = await loadSuite(io, flags.suite, seed);
      try {
        const rates =
          suite.entityCatalog === null
            ? { accuracy: 0.6, toolError: 0.3, hallucination: 0, prematureStop: 0.1 }
            : undefined;
        const result = await runCalibration({
          suite,
          ...(rates === undefined ? {} : { rates }),
          minimumTrials,
          seed,
          signal: io.signal,
          onProgress: progressBar(io, flags.json !== true),
        });
        const { summary: _summary, ...withoutSummary } = result;
        if (flags.json) printJson(io, withoutSummary);
        else {
          io.stdout(
            `calibration of ${result.suite} (SIMULATED agent, ${result.trials} trials, tolerance ±${result.tolerance})\n`,
          );
          io.stdout('| metric | injected | measured | difference | ok |\n|---|---|---|---|---|\n');
          for (const row of result.rows)
            io.stdout(
              `| ${row.metric} | ${row.injected.toFixed(3)} | ${row.measured.toFixed(3)} | ${row.difference >= 0 ? '+' : ''}${row.difference.toFixed(3)} | ${row.withinTolerance ? 'yes' : 'NO'} |\n`,
            );
          io.stdout(result.passed ? 'calibrated: every metric within tolerance\n' : 'NOT calibrated\n');
        }
        if (!result.passed) throw new Error('calibration failed: a measured rate is outside the tolerance');
      } finally {
        await suite.close();
      }
    });
  command
    .command('recommend')
    .description('turn per-role results into routing config lines: best success per dollar above a floor')
    .argument('<dirs...>', 'run directories (one per role, or several)')
    .option('--floor <rate>', 'lowest acceptable success rate (0..1)', '0.7')
    .option('--json', 'print JSON')
    .action(async (directories: string[], flags: { floor: string; json?: boolean }) => {
      const floor = Number(flags.floor);
      if (!Number.isFinite(floor) || floor < 0 || floor > 1)
        throw new UsageError(`--floor must be a rate from 0 to 1, not "${flags.floor}"`);
      const summaries = await Promise.all(directories.map((directory) => readSummary(io, directory)));
      const recommendations = recommendRouting(
        summaries.flatMap((summary) => summary.models),
        floor,
      );
      const config = routingConfig(recommendations);
      if (flags.json) printJson(io, { recommendations, config });
      else {
        for (const item of recommendations) {
          io.stdout(
            `${item.role}: ${item.chain.length === 0 ? 'no model reaches the floor' : item.chain.join(' → ')}\n`,
          );
          for (const reason of item.reasons) io.stdout(`  ${reason}\n`);
        }
        io.stdout(`\nrouting config:\n${JSON.stringify(config, null, 2)}\n`);
      }
    });
}

async function readSummary(io: CliIo, directory: string) {
  try {
    return await readRunSummary(resolve(io.cwd, directory));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
