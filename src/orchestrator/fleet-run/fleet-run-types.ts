import type { RunStatus, TaskStatus } from '../../protocol/index.ts';
import type { Verdict } from '../../roles/index.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import type { FleetState } from '../fleet-state.ts';

/** A moment of a run, for the terminal's progress line and `cadre status`. */
export interface FleetProgress {
  cycle: number;
  agents: { planner: number; worker: number; judge: number };
  tasks: Record<TaskStatus, number>;
  agentsStarted: number;
  costUsd: number;
  paused: boolean;
}

/** How a run ended. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  reason: string;
  /** What else the reader should know: planners that ended early and why (their tasks still ran). */
  notes: string[];
  cycles: { n: number; status: string; verdict: Verdict | null }[];
  tasks: Record<TaskStatus, number>;
  agentsStarted: number;
  busyMs: number;
  costUsd: number;
  wallMs: number;
  /** Leases taken back from a dead orchestrator when the run resumed. */
  recoveredLeases: number;
}

/** Options of runFleet. */
export interface RunFleetOptions {
  deps: FleetDependencies;
  runId: string;
  signal: AbortSignal;
  onProgress?: (progress: FleetProgress) => void;
  progressIntervalMs?: number;
  /** Shared with a caller that wants the counters (the fleet benchmark). */
  state?: FleetState;
}
