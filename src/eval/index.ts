// The public face of src/eval: other modules import from here, never from deeper files.
export { calibrationTolerance, runCalibration } from './calibrate.ts';
export { compareRuns, comparisonTable } from './compare/compare-runs.ts';
export { recommendRouting, routingConfig } from './compare/recommend-routing.ts';
export { FolderSuiteError } from './folder-suite/folder-suite-error.ts';
export { RunSummary } from './metrics/model-summary.ts';
export { calibrationTable } from './report/calibration-table.ts';
export { markdownTable } from './report/markdown-table.ts';
export { createProgressBar } from './report/progress-bar.ts';
export { createRunOutput, readRunSummary } from './report/run-output.ts';
export {
  type EvalEngine,
  engineSolverPrompt,
  isEngineSolver,
  prepareEvalEngines,
} from './runner/engine-solver.ts';
export { createEvalModelFactory } from './runner/eval-model-factory.ts';
export { runEval } from './runner/run-eval.ts';
export { createSuiteModels } from './runner/suite-models.ts';
export { createOraclePolicies } from './sim/oracle-policy.ts';
export { plansOf } from './sim/plans-of.ts';
export type { Suite, SuiteModels } from './suite.ts';
export { listSuites, lookUpSuite, suiteListing } from './suite-lookup.ts';
export { underwritingSuite } from './suites/underwriting/underwriting-suite.ts';
export { TrialRecord } from './trial-record.ts';
