import { createTokenCounter } from '../../agent/index.ts';
import { hashSeed, type Model, type ModelUsage } from '../../llm/index.ts';
import type { ModelSummary, RunSummary } from '../metrics/model-summary.ts';
import { summarizeTrials } from '../metrics/summarize-trials.ts';
import type { Suite } from '../suite.ts';
import type { TrialRecord } from '../trial-record.ts';
import type { EvalEngine } from './engine-solver.ts';
import { runTrial, type TrialSolver } from './run-trial.ts';
import { selectSamples } from './select-samples.ts';

/** Options of runEval. */
export interface RunEvalOptions {
  suite: Suite;
  /** The solvers: model ids, and engine ids (`engine:codex/gpt-5.2`) that `engines` holds ready. */
  modelIds: readonly string[];
  /** The engines among `modelIds`, ready (see prepareEvalEngines); their trials run the engine's program. */
  engines?: ReadonlyMap<string, EvalEngine>;
  /** The role the models are measured in; the suite's solver role by default. */
  role?: string;
  trials: number;
  sampleLimit?: number;
  concurrency: number;
  seed: number;
  /** Builds the model for one trial; the seed makes sim models differ between trials yet repeat across runs. */
  createModel: (modelId: string, seed: number) => Model;
  costOf: (modelId: string, usage: ModelUsage) => number | null;
  signal: AbortSignal;
  /** Called with each finished trial, in completion order (the CLI appends it to trials.jsonl). */
  onTrial?: (record: TrialRecord) => void | Promise<void>;
  onProgress?: (done: number, total: number) => void;
}

/** What a run produced. */
export interface EvalRun {
  records: TrialRecord[];
  summary: RunSummary;
}

/** Runs every model on every selected sample k times, `concurrency` trials at a time, and summarizes. */
export async function runEval(options: RunEvalOptions): Promise<EvalRun> {
  const role = options.role ?? options.suite.solver.role;
  const engineIds = options.modelIds.filter((id) => options.engines?.has(id));
  if (engineIds.length > 0 && options.suite.engineUnfit !== undefined)
    throw new Error(
      `suite ${options.suite.name} cannot be solved by an engine (${engineIds.join(', ')}): ${options.suite.engineUnfit}`,
    );
  const solverOf = (modelId: string, seed: number): TrialSolver => {
    const engine = options.engines?.get(modelId);
    return engine === undefined ? { model: options.createModel(modelId, seed) } : { engine };
  };
  const samples = selectSamples(options.suite.samples, options.sampleLimit);
  const jobs = options.modelIds.flatMap((modelId) =>
    samples.flatMap((sample) =>
      Array.from({ length: options.trials }, (_, trial) => ({ modelId, sample, trial })),
    ),
  );
  // One counter for the whole run: building its encoder is the slow part.
  const tokenCounter = createTokenCounter();
  const records: TrialRecord[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, jobs.length);
  const worker = async () => {
    while (next < jobs.length) {
      options.signal.throwIfAborted();
      const index = next++;
      const job = jobs[index]!;
      const seed = hashSeed(options.seed, `${job.modelId}\n${job.sample.id}\n${job.trial}`);
      const record = await runTrial({
        suite: options.suite,
        sample: job.sample,
        trial: job.trial,
        modelId: job.modelId,
        role,
        ...solverOf(job.modelId, seed),
        seed,
        costOf: options.costOf,
        tokenCounter,
        signal: options.signal,
      });
      records[index] = record;
      await options.onTrial?.(record);
      done += 1;
      options.onProgress?.(done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, jobs.length)) }, worker));
  const models: ModelSummary[] = options.modelIds.map((modelId) =>
    summarizeTrials(
      modelId,
      role,
      options.trials,
      records.filter((record) => record.model === modelId),
    ),
  );
  return {
    records,
    summary: {
      suite: options.suite.name,
      role,
      trialsPerSample: options.trials,
      sampleCount: samples.length,
      seed: options.seed,
      simulated: options.modelIds.some((modelId) => modelId.startsWith('sim:')),
      models,
    },
  };
}
