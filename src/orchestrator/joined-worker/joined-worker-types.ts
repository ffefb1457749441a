import type { TaskBoard } from '../../board/index.ts';
import type { Run } from '../../protocol/index.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';

/** Options of runJoinedWorker. */
export interface JoinedWorkerOptions {
  /** The shared board, used to find live runs and follow changes. */
  board: TaskBoard;
  /** Which agents this process runs: planners take `plan` tasks, workers take `work` tasks. */
  roles: readonly ('planner' | 'worker')[];
  /** Agents at once, across every run served. */
  maxAgents: number;
  /** Serve only this run. */
  runId?: string;
  /** Keep waiting for new runs after the served ones end, instead of exiting. */
  stay: boolean;
  /** Assembles the fleet of one run (its hub cache and worktrees on this machine, its models). */
  openRun: (run: Run, signal: AbortSignal) => Promise<FleetDependencies>;
  /** Releases what openRun opened, once the process stops serving the run. */
  closeRun?: (deps: FleetDependencies) => Promise<void>;
  /** Stops the worker: running agents are stopped and their leases released. */
  signal: AbortSignal;
  /** How often to look for new runs when no board event says so (default 1000 ms). */
  discoveryIntervalMs?: number;
  log?: (line: string) => void;
}

/** What a joined worker did before it stopped. */
export interface JoinedWorkerSummary {
  runs: string[];
  agentsStarted: number;
  completed: number;
  /** Tasks whose lease was lost (expired while partitioned, or cancelled) and were dropped. */
  leasesLost: number;
  failed: number;
}
