import type { AgentResult } from '../../agent/index.ts';
import type { Lease, Task } from '../../protocol/index.ts';
import type { RoleSession, TaskSettlement } from '../../roles/index.ts';
import type { Worktree } from '../../workspace/index.ts';
import type { FleetInbox } from '../fleet-inbox.ts';

/** What the runner needs to know about one agent's job. */
export interface AgentJob {
  role: 'planner' | 'worker' | 'judge';
  task: Task;
  lease: Lease;
  agentId: string;
  parentAgentId: string | null;
  /** Builds the role's session once the worktree exists. */
  session: (worktree: Worktree) => Promise<RoleSession>;
  /** Aborted when the run stops. */
  signal: AbortSignal;
  /** Busy time (model calls and tools), for the fleet's efficiency figures. */
  onBusy?: (milliseconds: number) => void;
  onCost?: (dollars: number) => void;
  /** Each model call's end: answered, or failed with the provider's error (a run where none answered failed). */
  onModelCall?: (call: ModelCallOutcome) => void;
  /** Whether its worktree could be made ready (`workspace.setup`): failures in a row pause the run. */
  onSetup?: (outcome: SetupOutcome) => void;
  /** The fleet's shared inbox poller; without it the agent polls the board itself. */
  inbox?: FleetInbox | null;
  /**
   * Takes what is left once the agent ended — committing its task's settlement (already queued on the
   * board when the job returns), its final status, removing its worktree — so the slot can claim its
   * next task meanwhile; whoever passes it awaits what it was given before it ends. The job's result
   * then says which settlement was asked for, not that it committed. Without it the job awaits all.
   */
  defer?: (closing: Promise<unknown>) => void;
}

/** Whether an agent's worktree was made ready, or why not. */
export type SetupOutcome = { type: 'ready' } | { type: 'failed'; reason: string };

/** How one model call of an agent ended, for the fleet's "did any model answer" tally. */
export type ModelCallOutcome = { type: 'answered' } | { type: 'failed'; message: string };

/** How one agent's job ended. */
export interface AgentJobResult {
  /** What was stored on the board: `lease-lost` when the board refused the settlement (or it was never tried). */
  settlement: TaskSettlement | { type: 'lease-lost' };
  /** What the role asked for, even when the board refused it; null when the agent never ended. */
  requested: TaskSettlement | null;
  result: AgentResult | null;
}
