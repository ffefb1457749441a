import { join } from 'node:path';
import type { TaskBoard } from '../board/index.ts';
import type { Lease } from '../protocol/index.ts';
import { createSandbox, type Sandbox, SandboxConfig } from '../sandbox/index.ts';
import {
  type ChecksConfig,
  createChecksConfig,
  createGit,
  createWorktreeManager,
  type Git,
  type Hub,
  openLocalHub,
  type WorktreeManager,
} from '../workspace/index.ts';
import { createClaimedTasks } from '../workspace/testing/claimed-tasks.ts';
import { createTempRepo } from '../workspace/testing/temp-repo.ts';

/** One arm's own repository, hub, board (one claimed task per change), worktrees and checks. */
export interface QueueBenchWorkspace {
  git: Git;
  hub: Hub;
  board: TaskBoard;
  runId: string;
  leases: Lease[];
  worktrees: WorktreeManager;
  checks: ChecksConfig;
  /** Check processes started in the sandbox so far, stopped ones included. */
  checksStarted(): number;
  close(): Promise<void>;
}

/** Options of openQueueBenchWorkspace. */
export interface QueueBenchWorkspaceOptions {
  /** The seed commit's files. */
  files: Record<string, string>;
  changes: number;
  checkCommand: string;
  checkMs: number;
  signal: AbortSignal;
}

// leases outlive the slowest arm (hundreds of checks one after another)
const leaseTtlMs = 24 * 60 * 60_000;

/**
 * Makes a fresh workspace for one arm: a temp user repository holding the seed files, a local hub,
 * a SQLite board file with one claimed task per change, a worktree manager (`git clone --shared`
 * from the hub) and the checks, run in the real sandbox, counted as they start.
 */
export async function openQueueBenchWorkspace(
  options: QueueBenchWorkspaceOptions,
): Promise<QueueBenchWorkspace> {
  const repo = createTempRepo(options.files);
  try {
    const git = createGit();
    const hub = await openLocalHub({
      userRepo: repo.userRepo,
      path: join(repo.directory, 'hub.git'),
      git,
      signal: options.signal,
    });
    const { board, runId, leases } = await createClaimedTasks(
      join(repo.directory, 'board.db'),
      options.changes,
      leaseTtlMs,
    );
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    let started = 0;
    const sandbox = createSandbox();
    const counting: Sandbox = {
      run: (request) => {
        started++;
        return sandbox.run(request);
      },
      status: (config, signal) => sandbox.status(config, signal),
    };
    const checks = createChecksConfig(
      { command: options.checkCommand, timeoutMs: options.checkMs + 60_000 },
      SandboxConfig.parse({}),
      counting,
    );
    return {
      git,
      hub,
      board,
      runId,
      leases,
      worktrees,
      checks,
      checksStarted: () => started,
      async close() {
        await board.close();
        repo.cleanup();
      },
    };
  } catch (error) {
    repo.cleanup();
    throw error;
  }
}
