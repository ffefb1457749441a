import { z } from 'zod';
import { ShareMode } from './setup-settings.ts';

/** The event type every worktree setup records (one per worktree made ready, or failing to be). */
export const workspaceSetupEventType = 'workspace.setup';

/**
 * How a worktree became ready. `template-hit`: the installed state came from an existing template;
 * `template-built`: this worktree's setup built the template; `own-setup`: its reuse files differ
 * from every template (the agent changed a lock file), so the setup ran in it alone; `failed`.
 */
export const ReadyReport = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('template-hit'),
    key: z.string(),
    share: ShareMode,
    /** Time to bring the template's files into the worktree. */
    linkMs: z.number(),
  }),
  z.object({
    type: z.literal('template-built'),
    key: z.string(),
    share: ShareMode,
    setupMs: z.number(),
    linkMs: z.number(),
    /** The end of the setup's output. */
    output: z.string(),
  }),
  z.object({ type: z.literal('own-setup'), key: z.string(), setupMs: z.number(), output: z.string() }),
  z.object({
    type: z.literal('failed'),
    key: z.string(),
    setupMs: z.number(),
    /** Which command failed and how. */
    reason: z.string(),
    output: z.string(),
  }),
]);
/** How a worktree became ready. */
export type ReadyReport = z.infer<typeof ReadyReport>;

/** The payload of a `workspace.setup` event. */
export const WorkspaceSetupEvent = z.object({
  agentId: z.string(),
  taskId: z.string().nullable(),
  /** The worktree's directory name; null when it could not be made ready (it was removed). */
  worktree: z.string().nullable(),
  /** `create` for a new worktree, `refresh` after its reuse files changed. */
  phase: z.enum(['create', 'refresh']),
  /** Milliseconds from the start of readying to a ready worktree (or the failure). */
  readyMs: z.number(),
  report: ReadyReport,
});
/** The payload of a `workspace.setup` event. */
export type WorkspaceSetupEvent = z.infer<typeof WorkspaceSetupEvent>;

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
