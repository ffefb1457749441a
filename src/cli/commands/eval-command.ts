import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  calibrationTable,
  calibrationTolerance,
  compareRuns,
  comparisonTable,
  createEvalModelFactory,
  createOraclePolicies,
  createProgressBar,
  createRunOutput,
  createSuiteModels,
  FolderSuiteError,
  isEngineSolver,
  listSuites,
  lookUpSuite,
  markdownTable,
  plansOf,
  prepareEvalEngines,
  readRunSummary,
  recommendRouting,
  routingConfig,
  runCalibration,
  runEval,
  type Suite,
  type SuiteModels,
  suiteListing,
} from '../../eval/index.ts';
import {
  costOf,
  createPriceTable,
  createSimPolicyRegistry,
  parseModelId,
  parseModelsConfig,
  resolveConnection,
} from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';
import { loadModelsConfigFile } from './load-models-config.ts';

/** The models `eval run` uses without --models: two labeled simulations that need no key. */
export const defaultEvalModels = 'sim:oracle-strong,sim:oracle-weak';

interface SuiteSource {
  suite: string;
  suiteDir?: string;
}

interface RunFlags extends SuiteSource {
  models?: string;
  solver?: string;
  role?: string;
  trials: string;
  samples?: string;
  concurrency: string;
  seed: string;
  json?: boolean;
  out?: string;
  config?: string;
  userModel?: string;
}

/** A broken suite folder is bad usage (exit 2), with the file, line and key in the message. */
async function usingSuites<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FolderSuiteError) throw new UsageError(error.message);
    throw error;
  }
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

/** Loads a suite by name (built-in or in --suite-dir) or by its folder's path. */
async function loadSuite(io: CliIo, source: SuiteSource, seed: number, models?: SuiteModels): Promise<Suite> {
  return usingSuites(async () => {
    const found = await lookUpSuite(source.suite, {
      cwd: io.cwd,
      ...(source.suiteDir === undefined ? {} : { suiteDirectory: source.suiteDir }),
    });
    if (found.type === 'unknown')
      throw new UsageError(
        `no suite named "${source.suite}" and no suite folder (with suite.json) there; known: ${found.known.join(', ')}`,
      );
    const { definition } = found.entry;
    const workDirectory = await mkdtemp(join(tmpdir(), `cadre-eval-${definition.name}-`));
    return definition.load({
      signal: io.signal,
      seed,
      workDirectory,
      ...(models === undefined ? {} : { models }),
    });
  });
}

function checkModels(
  ids: string[],
  config: ModelsConfig,
  env: NodeJS.ProcessEnv,
  simNames: ReadonlySet<string>,
  flag = '--models',
): void {
  for (const id of ids) {
    let parsed: ReturnType<typeof parseModelId>;
    try {
      parsed = parseModelId(id);
    } catch (error) {
      throw new UsageError(`${flag}: ${(error as Error).message}`);
    }
    if (parsed.type === 'sim' && !simNames.has(parsed.name))
      throw new UsageError(`no sim policy named "${parsed.name}"; known: ${[...simNames].join(', ')}`);
    const connection = resolveConnection(parsed, config, env);
    if (connection.type === 'missing') throw new UsageError(`cannot run ${id}: ${connection.message}`);
  }
}

/**
 * The solvers of a run, in order: --models, then --solver (model ids or engine ids such as
 * `engine:codex/gpt-5.2`); the two sim oracles when neither is given.
 */
function solverIds(flags: Pick<RunFlags, 'models' | 'solver'>): string[] {
  const split = (list: string | undefined) =>
    (list ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  if (flags.models === undefined && flags.solver === undefined) return split(defaultEvalModels);
  const ids = [...new Set([...split(flags.models), ...split(flags.solver)])];
  if (ids.length === 0) throw new UsageError('--models/--solver needs at least one model or engine id');
  return ids;
}

async function runCommand(io: CliIo, flags: RunFlags): Promise<void> {
  const trials = parsePositiveInteger('--trials', flags.trials, 1000);
  const concurrency = parsePositiveInteger('--concurrency', flags.concurrency, 256);
  const sampleLimit =
    flags.samples === undefined ? undefined : parsePositiveInteger('--samples', flags.samples);
  const seed = parsePositiveInteger('--seed', flags.seed);
  const modelIds = solverIds(flags);
  const config = await loadConfig(io, flags.config);
  const models = createSuiteModels({
    config,
    env: io.env,
    ...(flags.userModel === undefined ? {} : { userModel: flags.userModel }),
    check: (id, simNames) => checkModels([id], config, io.env, simNames, '--user-model or suite.json'),
  });
  const suite = await loadSuite(io, flags, seed, models);
  try {
    const simPolicies = createSimPolicyRegistry(createOraclePolicies(plansOf(suite)));
    checkModels(
      modelIds.filter((id) => !isEngineSolver(id)),
      config,
      io.env,
      new Set(simPolicies.keys()),
    );
    const engineIds = modelIds.filter(isEngineSolver);
    if (engineIds.length > 0 && suite.engineUnfit !== undefined)
      throw new UsageError(
        `suite ${suite.name} cannot be solved by an engine (${engineIds.join(', ')}): ${suite.engineUnfit}`,
      );
    const prepared = await prepareEvalEngines(engineIds, config, io.env, io.signal);
    if (prepared.type === 'problem') throw new UsageError(prepared.message);
    const outDirectory = resolve(io.cwd, flags.out ?? join('.cadre', 'eval', `${suite.name}-${Date.now()}`));
    const output = await createRunOutput(outDirectory);
    const prices = createPriceTable(config.pricing);
    const run = await runEval({
      suite,
      modelIds,
      engines: prepared.engines,
      ...(flags.role === undefined ? {} : { role: flags.role }),
      trials,
      ...(sampleLimit === undefined ? {} : { sampleLimit }),
      concurrency,
      seed,
      createModel: createEvalModelFactory({ config, env: io.env, simPolicies }),
      costOf: (modelId, usage) => costOf(prices, modelId, usage),
      signal: io.signal,
      onTrial: (record) => output.appendTrial(record),
      onProgress: createProgressBar(io.stderr, flags.json !== true),
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
    .option('--suite-dir <dir>', 'also list the folder suites in this directory (or this suite folder)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean; suiteDir?: string }) => {
      const suites = suiteListing(
        await usingSuites(() =>
          listSuites({
            cwd: io.cwd,
            ...(flags.suiteDir === undefined ? {} : { suiteDirectory: flags.suiteDir }),
          }),
        ),
      );
      if (flags.json) printJson(io, suites);
      const width = Math.max(14, ...suites.map((suite) => suite.name.length + 1));
      if (!flags.json)
        for (const suite of suites) io.stdout(`${suite.name.padEnd(width)} ${suite.description}\n`);
    });
  command
    .command('run')
    .description(
      'run models on a suite, k trials per sample; writes trials.jsonl, summary.json, report.md, report.html',
    )
    .requiredOption('--suite <name|dir>', 'the suite to run (see eval list), or the path of a suite folder')
    .option('--suite-dir <dir>', 'a directory of folder suites to find --suite NAME in')
    .option('--models <ids>', `comma-separated model ids (default ${defaultEvalModels})`)
    .option(
      '--solver <ids>',
      'comma-separated solvers, added to --models: model ids or engines (engine:codex/gpt-5.2, engine:claude-code/<model>)',
    )
    .option('--role <role>', "the role the models are measured in (default: the suite's solver role)")
    .option('--trials <k>', 'trials per sample and model', '3')
    .option('--samples <n>', 'run only n samples, spread over the suite')
    .option('--concurrency <c>', 'trials at a time', '4')
    .option('--seed <n>', 'seed of the generated world and the sim models', '1')
    .option('--out <dir>', 'run directory (default .cadre/eval/<suite>-<time>)')
    .option('--config <file>', 'models config (JSON; default ./cadre.config.json when present)')
    .option('--user-model <id>', "play the simulated user with this model (default: the suite's, scripted)")
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
    .requiredOption('--suite <name|dir>', 'the suite to calibrate on, or the path of a suite folder')
    .option('--suite-dir <dir>', 'a directory of folder suites to find --suite NAME in')
    .option('--trials <n>', 'trials in all (at least 400)', '720')
    .option('--seed <n>', 'seed', '1')
    .option('--json', 'print JSON')
    .action(async (flags: SuiteSource & { trials: string; seed: string; json?: boolean }) => {
      const minimumTrials = parsePositiveInteger('--trials', flags.trials, 100_000);
      if (minimumTrials < 400)
        throw new UsageError('--trials must be at least 400 for the ±0.05 tolerance to mean anything');
      const seed = parsePositiveInteger('--seed', flags.seed);
      const suite = await loadSuite(io, flags, seed);
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
          onProgress: createProgressBar(io.stderr, flags.json !== true),
        });
        const { summary: _summary, ...withoutSummary } = result;
        if (flags.json) printJson(io, withoutSummary);
        else io.stdout(calibrationTable(result));
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
