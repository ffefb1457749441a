export {
  cadreIdentity,
  createGit,
  type Git,
  type GitCall,
  GitError,
  type GitIdentity,
  type GitOptions,
  type GitResult,
  gitText,
} from './git/run-git.ts';
export { type FetchRunResultOptions, fetchRunResult, type RunResultBranch } from './hub/fetch-run-result.ts';
export type { Hub, HubLocation } from './hub/hub.ts';
export { type LocalHubOptions, openLocalHub, writeCadreGitignore } from './hub/open-local-hub.ts';
export { openRemoteHub, type RemoteHubOptions } from './hub/open-remote-hub.ts';
export type { GateUsage } from './landing/attempt-gate.ts';
export { type BackoffOptions, backoffDelay } from './landing/backoff.ts';
export {
  checkPriorLanding,
  type PriorLanding,
  type PriorLandingRequest,
} from './landing/check-prior-landing.ts';
export type {
  ConflictCommit,
  ConflictFile,
  ConflictHunk,
  ConflictReport,
} from './landing/conflict-report.ts';
export { createLander, type Lander } from './landing/create-lander.ts';
export { formatConflictReport } from './landing/format-conflict-report.ts';
export type { LandingEvent, LandingStep, LandOutcome } from './landing/land-outcome.ts';
export type { LanderOptions, LandingBoard, LandRequest } from './landing/lander-options.ts';
export { createBoardLandingEventSink } from './landing/landing-event-sink.ts';
export {
  type ChecksConfig,
  type ChecksResult,
  createChecksConfig,
  runChecks,
} from './landing/run-checks.ts';
export { buildCommitMessage, parseTaskTrailers, TaskTrailers, trailerKeys } from './landing/task-trailers.ts';
export { type MergeQueue, type MergeQueueOptions, startMergeQueue } from './queue/merge-queue.ts';
export { createQueueLander, type QueueLanderOptions, type QueueLandingBoard } from './queue/queue-lander.ts';
export { LandingMode, QueueSettings, resolveLandingMode } from './queue/queue-settings.ts';
export {
  checkCommandProgram,
  checkSetupSettings,
  programOf,
  type SetupProblem,
} from './ready/check-setup-settings.ts';
export { computeReadyKey, type ReadyKey, reuseFilesOf } from './ready/ready-key.ts';
export {
  createReadyWorktrees,
  type ReadyWorktrees,
  type ReadyWorktreesOptions,
} from './ready/ready-worktrees.ts';
export { runSetup, type SetupRun, setupSandboxConfig } from './ready/run-setup.ts';
export {
  describeReadyReport,
  ReadyReport,
  SetupFailedError,
  WorkspaceSetupEvent,
  workspaceSetupEventType,
} from './ready/setup-report.ts';
export {
  knownLockFiles,
  SetupCache,
  SetupSettings,
  type SetupSettingsInput,
  ShareMode,
} from './ready/setup-settings.ts';
export { ChecksSettings, WorkspaceConfig } from './workspace-config.ts';
export {
  createWorktreeManager,
  type ReleasedWorktree,
  type Worktree,
  type WorktreeManager,
  type WorktreeManagerOptions,
} from './worktree/create-worktree-manager.ts';
