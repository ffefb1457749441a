import { costOf, createPriceTable, createSimPolicyRegistry, parseModelsConfig } from '../llm/index.ts';
import type { ModelSummary } from './metrics/model-summary.ts';
import { createEvalModelFactory } from './runner/eval-model-factory.ts';
import { runEval } from './runner/run-eval.ts';
import { createOraclePolicies } from './sim/oracle-policy.ts';
import { OracleRates } from './sim/oracle-rates.ts';
import { plansOf } from './sim/plans-of.ts';
import type { Suite } from './suite.ts';

/** The rates calibrate injects unless told otherwise. */
export const defaultCalibrationRates: OracleRates = {
  accuracy: 0.6,
  toolError: 0.3,
  hallucination: 0.15,
  prematureStop: 0.1,
};

/** How far a measured rate may be from the injected one. */
export const calibrationTolerance = 0.05;

/** Options of runCalibration. */
export interface CalibrationOptions {
  suite: Suite;
  rates?: OracleRates;
  /** At least this many trials in all; rounded up to whole trials per sample. */
  minimumTrials?: number;
  concurrency?: number;
  seed?: number;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** One metric: what was injected, what the lab measured, and whether they agree within the tolerance. */
export interface CalibrationRow {
  metric: 'success rate' | 'tool-error rate' | 'hallucination rate' | 'premature-stop rate';
  injected: number;
  measured: number;
  difference: number;
  withinTolerance: boolean;
}

/** The result of a calibration. */
export interface CalibrationResult {
  suite: string;
  trials: number;
  tolerance: number;
  rows: CalibrationRow[];
  passed: boolean;
  summary: ModelSummary;
}

/**
 * Runs a simulated agent with known injected rates through the real lab (loop, tools, scorers, detectors)
 * and compares what the lab measures with what was injected: the proof that the lab measures what it claims.
 */
export async function runCalibration(options: CalibrationOptions): Promise<CalibrationResult> {
  const rates = OracleRates.parse(options.rates ?? defaultCalibrationRates);
  const minimumTrials = options.minimumTrials ?? 720;
  const trials = Math.max(1, Math.ceil(minimumTrials / options.suite.samples.length));
  const simPolicies = createSimPolicyRegistry(
    createOraclePolicies(plansOf(options.suite), { calibrated: rates }),
  );
  const config = parseModelsConfig({});
  const prices = createPriceTable(config.pricing);
  const run = await runEval({
    suite: options.suite,
    modelIds: ['sim:calibrated'],
    trials,
    concurrency: options.concurrency ?? 4,
    seed: options.seed ?? 1,
    createModel: createEvalModelFactory({ config, env: {}, simPolicies }),
    costOf: (modelId, usage) => costOf(prices, modelId, usage),
    signal: options.signal,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const summary = run.summary.models[0]!;
  const pairs: Array<[CalibrationRow['metric'], number, number]> = [
    ['success rate', rates.accuracy, summary.successRate],
    ['tool-error rate', rates.toolError, summary.errorRates['tool-call-argument-error']],
    ['hallucination rate', rates.hallucination, summary.errorRates['hallucinated-entity']],
    ['premature-stop rate', rates.prematureStop, summary.errorRates['premature-stop']],
  ];
  const rows = pairs.map(([metric, injected, measured]) => ({
    metric,
    injected,
    measured,
    difference: measured - injected,
    withinTolerance: Math.abs(measured - injected) <= calibrationTolerance,
  }));
  return {
    suite: options.suite.name,
    trials: summary.trials,
    tolerance: calibrationTolerance,
    rows,
    passed: rows.every((row) => row.withinTolerance) && summary.infrastructureErrors === 0,
    summary,
  };
}
