// The public face of src/bench: other modules import from here, never from deeper files.

export { runBoardBench } from './board-bench.ts';
export { runPostgresBoardBench } from './board-bench-postgres.ts';
export { runCoordinationLab } from './coordination-lab.ts';
export { coordinationChart, coordinationTable } from './coordination-report.ts';
export { runFleetBench } from './fleet-bench.ts';
export { runLandingBench } from './landing-bench.ts';
export { queueBenchDefaults, runQueueBench } from './queue-bench.ts';
export { StrategyName } from './strategies/coordination-settings.ts';
export { defaultWorktreesSetup, runWorktreesBench } from './worktrees-bench.ts';
export { worktreesTable } from './worktrees-report.ts';
