import {
  type AgentEvent,
  type AgentResult,
  createToolCounters,
  parseToolConfig,
  runAgentLoop,
  type TokenCounter,
} from '../../agent/index.ts';
import { emptyUsage, type Model, type ModelUsage } from '../../llm/index.ts';
import { detectErrors } from '../detectors/error-detectors.ts';
import { combineScores, type Score } from '../scorers/scorer.ts';
import type { Sample, Suite, TrialEnvironment } from '../suite.ts';
import type { TrialRecord } from '../trial-record.ts';
import { classifyTrialEnd } from './classify-trial-end.ts';
import { type EvalEngine, runEngineSolver } from './engine-solver.ts';

/** The solver of a trial: a model in cadre's own loop, or an engine (an external agent program). */
export type TrialSolver = { model: Model; engine?: undefined } | { engine: EvalEngine; model?: undefined };

/** Everything one trial needs. */
export type RunTrialOptions = TrialSolver & {
  suite: Suite;
  sample: Sample;
  trial: number;
  /** The solver's id as the run names it: a model id, or an engine id (`engine:codex/gpt-5.2`). */
  modelId: string;
  role: string;
  seed: number;
  costOf: (modelId: string, usage: ModelUsage) => number | null;
  tokenCounter: TokenCounter;
  signal: AbortSignal;
};

function lastAssistantText(result: AgentResult): string {
  if (result.reason.type === 'completed') return result.reason.text;
  for (let index = result.messages.length - 1; index >= 0; index--) {
    const message = result.messages[index];
    if (message?.role === 'assistant') return message.content;
  }
  return '';
}

/**
 * Runs one trial: a fresh environment, the agent loop (or an engine's program, in the environment's
 * directory), the scorers over the end state and the error detectors over the events. A failure of the lab itself (setup, a scorer crashing, the provider) becomes
 * an infrastructure-error record instead of a failed trial.
 */
export async function runTrial(options: RunTrialOptions): Promise<TrialRecord> {
  const { suite, sample } = options;
  const base = {
    suite: suite.name,
    role: options.role,
    model: options.modelId,
    sampleId: sample.id,
    taskType: sample.taskType,
    trial: options.trial,
  };
  const infrastructureError = (detail: string, events: AgentEvent[] = []): TrialRecord => ({
    ...base,
    end: { type: 'infrastructure-error', detail },
    success: null,
    scoreValue: 0,
    scores: [],
    answer: null,
    steps: 0,
    toolCalls: 0,
    usage: emptyUsage(),
    costUsd: 0,
    unpricedCalls: 0,
    userUsage: emptyUsage(),
    userCostUsd: 0,
    errors: [],
    events,
  });
  let environment: TrialEnvironment;
  try {
    environment = await suite.prepare(sample, { signal: options.signal, seed: options.seed });
  } catch (error) {
    return infrastructureError(`preparing the trial failed: ${(error as Error).message}`);
  }
  const events: AgentEvent[] = [];
  try {
    const result = await solve(options, environment, (event) => {
      events.push(event);
    });
    const finalText = lastAssistantText(result);
    const answer = suite.answerOf(finalText);
    const end = classifyTrialEnd(result.reason, answer);
    const userCost = environment.userCost();
    const measured = {
      answer,
      steps: result.totals.steps,
      // an engine's own tool calls are its events; cadre's counters see only cadre's tools
      toolCalls:
        options.engine === undefined
          ? result.counters.toolCalls
          : events.filter((event) => event.type === 'tool-call-started').length,
      usage: result.totals.usage,
      costUsd: result.totals.costUsd,
      unpricedCalls: result.totals.unpricedCalls,
      userUsage: userCost.usage,
      userCostUsd: userCost.costUsd,
      events,
    };
    if (end.type === 'infrastructure-error')
      return { ...infrastructureError(end.detail, events), ...measured };
    let scores: Score[];
    try {
      scores = [];
      for (const scorer of suite.scorers(sample))
        scores.push(await scorer.score({ sample, answer, finalText, environment, signal: options.signal }));
    } catch (error) {
      return { ...infrastructureError(`scoring failed: ${(error as Error).message}`, events), ...measured };
    }
    const verdict = combineScores(scores, suite.combination);
    const errors = detectErrors({
      events,
      reason: result.reason,
      answer,
      finalText,
      catalog: suite.entityCatalog,
    });
    return { ...base, ...measured, end, success: verdict.passed, scoreValue: verdict.value, scores, errors };
  } finally {
    await environment.cleanup();
  }
}

/** Runs the trial's solver in its environment: cadre's loop with the environment's tools, or the engine's program. */
function solve(
  options: RunTrialOptions,
  environment: TrialEnvironment,
  onEvent: (event: AgentEvent) => void,
): Promise<AgentResult> {
  const { suite, sample } = options;
  if (options.engine !== undefined)
    return runEngineSolver({
      engine: options.engine,
      solver: suite.solver,
      task: sample.input,
      worktreeRoot: environment.worktreeRoot,
      costOf: options.costOf,
      onEvent,
      signal: options.signal,
    });
  const counters = createToolCounters();
  return runAgentLoop({
    model: options.model,
    tools: environment.tools,
    toolContext: { worktreeRoot: environment.worktreeRoot, counters, config: parseToolConfig({}) },
    system: suite.solver.system,
    task: sample.input,
    budget: {
      maxSteps: suite.solver.maxSteps,
      ...(suite.solver.maxTokens === undefined ? {} : { maxTokens: suite.solver.maxTokens }),
    },
    tokenCounter: options.tokenCounter,
    costOf: options.costOf,
    signal: options.signal,
    onEvent,
  });
}
