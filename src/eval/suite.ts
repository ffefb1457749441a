import type { Model, ModelUsage } from '../llm/index.ts';
import type { Sample, ScoreCombination, TrialEnvironment } from './sample.ts';
import type { Scorer } from './scorers/scorer.ts';
import type { SimulationPlan } from './sim/simulation-plan.ts';

export { HiddenFact, Sample, type ScoreCombination, type TrialEnvironment, type UserCost } from './sample.ts';

/** How the agent under test runs: its role, prompt and turn limit (its tools come from the trial environment). */
export interface Solver {
  role: string;
  system: string;
  maxSteps: number;
  maxTokens?: number;
}

/** Names the suite knows, so that an answer naming anything else counts as a hallucinated entity. */
export interface EntityCatalog {
  /** What an entity name looks like in an answer (global flag required). */
  pattern: RegExp;
  known: ReadonlySet<string>;
}

/** What preparing a trial may use. */
export interface PrepareOptions {
  signal: AbortSignal;
  /** Seed of this trial, for anything random in the environment (a model-driven user's sampling). */
  seed: number;
}

/** A loaded suite: samples, solver, scorers and a way to build each trial's environment. */
export interface Suite {
  name: string;
  description: string;
  solver: Solver;
  samples: readonly Sample[];
  scorers(sample: Sample): Scorer[];
  combination: ScoreCombination;
  /** Present when answers should be checked for names outside the suite's world. */
  entityCatalog: EntityCatalog | null;
  /**
   * Why an engine (an external agent program, which brings its own tools) cannot solve this suite's
   * tasks, e.g. they need the suite's own tools; absent when it can (the work is in the trial's files).
   */
  engineUnfit?: string;
  /** The answer in the agent's final text, or null when it gave none. */
  answerOf(finalText: string): string | null;
  prepare(sample: Sample, options: PrepareOptions): Promise<TrialEnvironment>;
  /** What an oracle sim agent does on this sample; see sim/oracle-policy.ts. */
  simulationPlan(sample: Sample): SimulationPlan;
  close(): Promise<void>;
}

/** Models a suite itself uses besides the one under test: rubric graders and a model-driven simulated user. */
export interface SuiteModels {
  /** Builds a model by id; the seed lets a sim model differ between trials yet repeat across runs. */
  createModel(modelId: string, seed: number): Model;
  costOf(modelId: string, usage: ModelUsage): number | null;
  /** Play the simulated user with this model instead of the suite's default (scripted for the built-ins). */
  userModel?: string;
}

/** What loading a suite may use. */
export interface LoadSuiteOptions {
  signal: AbortSignal;
  /** Seed of the generated world. */
  seed: number;
  /** Directory for generated files; removed by `close`. */
  workDirectory: string;
  /** Absent when the suite must run without any model of its own (scripted user, no rubric graders). */
  models?: SuiteModels;
}

/** A suite as registered: a name, a line of description and a loader. */
export interface SuiteDefinition {
  name: string;
  description: string;
  load(options: LoadSuiteOptions): Promise<Suite>;
}

/** The final line convention of the built-in suites: `ANSWER: <value>`. */
export function answerLine(finalText: string): string | null {
  const matches = [...finalText.matchAll(/^\s*ANSWER:\s*(.+?)\s*$/gim)];
  const last = matches.at(-1);
  return last?.[1] ?? null;
}
