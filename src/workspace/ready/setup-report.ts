import type { ReadyReport } from '../../protocol/index.ts';

// the report is part of a run's log (`workspace.setup`), so its schemas live in the event catalog
export { ReadyReport, WorkspaceSetupEvent, workspaceSetupEventType } from '../../protocol/index.ts';

/** Thrown when a worktree cannot be made ready: the environment's fault, so the task goes back unblamed. */
export class SetupFailedError extends Error {
  readonly report: Extract<ReadyReport, { type: 'failed' }>;
  constructor(report: Extract<ReadyReport, { type: 'failed' }>) {
    super(`worktree setup failed: ${report.reason}`);
    this.name = 'SetupFailedError';
    this.report = report;
  }
}

/** One line (or, for a failure, the reason and the output's end) that tells an agent what readying did. */
export function describeReadyReport(report: ReadyReport): string {
  const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
  switch (report.type) {
    case 'template-hit':
      return `[setup] the lock files changed: dependencies re-linked from ready template ${report.key.slice(0, 8)} (${report.share}) in ${seconds(report.linkMs)}`;
    case 'template-built':
      return `[setup] ready template ${report.key.slice(0, 8)} built in ${seconds(report.setupMs)}`;
    case 'own-setup':
      return `[setup] the lock files changed: setup re-ran in this worktree in ${seconds(report.setupMs)}`;
    case 'failed':
      return `[setup] the lock files changed and setup failed: ${report.reason}\n${report.output.slice(-2000)}`;
    default:
      return assertNever(report);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled ready report ${JSON.stringify(value)}`);
}
