import type { QueueSummary, SetupSummary } from '../orchestrator/index.ts';
import type { Agent, BoardEvent, Cycle, Run, Task, TaskStatus } from '../protocol/index.ts';
import type { SandboxStatusEvent } from '../sandbox/index.ts';

/** What an agent is doing right now, derived from its events by the server's projection. */
export type AgentActivity =
  | { type: 'idle' }
  | { type: 'thinking'; since: number }
  | { type: 'tool'; toolName: string; since: number }
  | { type: 'paused'; since: number }
  | { type: 'ended'; reason: string };

/** Model use summed from model-call events as they happen. */
export interface LiveUsage {
  steps: number;
  modelCalls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** An agent as the dashboard shows it: the board row plus what its events tell. */
export interface AgentView extends Agent {
  activity: AgentActivity;
  eventCount: number;
  lastEventAt: number | null;
  /** Its model use so far, from its events (`usage` holds the totals it stored when it ended). */
  liveUsage: LiveUsage;
}

/** A task as the dashboard shows it: the board row plus the commit that landed it, if any. */
export interface TaskView extends Task {
  landedCommit: string | null;
}

/** A page of a list; `nextAfterId` is null on the last page. */
export interface ListPage<Item> {
  items: Item[];
  nextAfterId: string | null;
}

/** A page of events, oldest first; a cursor is null when there is nothing more that way. */
export interface EventPage {
  events: BoardEvent[];
  nextAfterSeq: number | null;
  nextBeforeSeq: number | null;
  /** The newest event of the run the server has seen, for resuming the live stream. */
  lastSeq: number;
}

/** One landing of a task's change on the shared branch. */
export interface LandingView {
  taskId: string;
  agentId: string | null;
  commit: string;
  at: number;
}

/** Tokens and dollars of one bucket of time (cumulative from the start of the run). */
export interface UsagePoint {
  at: number;
  tokens: number;
  costUsd: number;
}

/** Totals of model use. */
export interface UsageTotals {
  agents: number;
  steps: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/** Usage of a run by role and by agent (agents sorted by dollars, then tokens). */
export interface UsageReport {
  total: UsageTotals;
  byRole: Record<string, UsageTotals>;
  byAgent: (UsageTotals & { agentId: string; role: string })[];
}

/** Everything the overview page needs in one call. */
export interface RunOverview {
  run: Run;
  cycles: Cycle[];
  taskCounts: Record<TaskStatus, number>;
  agentCounts: Record<string, Record<string, number>>;
  /** Totals stored by the agents (written as each agent ends). */
  usage: UsageTotals;
  /** Totals so far, from every model call's event. */
  liveUsage: LiveUsage;
  timeline: UsagePoint[];
  landingsPerHour: { hour: number; count: number }[];
  lastSeq: number;
  /** How each process of the run sandboxes agents' commands (the newest status per process). */
  sandboxes: SandboxStatusEvent[];
  /** How the run's worktrees were made ready (`workspace.setup`); null when it has no setup. */
  setup: SetupSummary | null;
  /** The run's merge queue: depth, outcomes, check runs, pushes and a red tip; null when it used none. */
  queue: QueueSummary | null;
}

/** The body of every error response. */
export interface ApiErrorBody {
  error: { type: string; message: string; issues?: string[] };
}
