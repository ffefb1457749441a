import type { TokenCounter, Tool, ToolConfig } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import type { Model, ModelUsage } from '../llm/index.ts';
import type { Clock } from '../protocol/index.ts';
import type { LoadedPrompt } from '../roles/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import type {
  ChecksConfig,
  Git,
  Hub,
  Lander,
  MergeQueue,
  ReadyWorktrees,
  WorktreeManager,
} from '../workspace/index.ts';
import type { RoleModelLimits } from './agent-context.ts';
import type { AgentPlacement } from './agent-placement.ts';
import type { FleetConfig } from './fleet-config.ts';
import type { FleetEngines } from './fleet-engines.ts';

/** The models a fleet uses: one routed model per role, and prices. */
export interface FleetModels {
  modelFor(role: string): Model;
  /** The model id each role's agents record (the head of its chain). */
  describe(role: string): string;
  costOf(modelId: string, usage: ModelUsage): number | null;
  /** Whether a model chain serves the role (an engine-only role has none to fall back on). */
  servesRole?(role: string): boolean;
  /** The smallest window and output cap across the role's chain; unknown (fleet settings only) when absent. */
  limitsFor?(role: string): RoleModelLimits;
}

/** Everything the orchestrator runs a fleet with; wired by the CLI (or a test), never created here. */
export interface FleetDependencies {
  board: TaskBoard;
  hub: Hub;
  git: Git;
  worktrees: WorktreeManager;
  /** Readies worktrees again when their lock files change (`workspace.setup`); the manager readies new ones. */
  ready?: ReadyWorktrees;
  /** Setups failing this many times in a row pause the run (`workspace.setup.maxConsecutiveFailures`). */
  maxSetupFailures?: number;
  lander: Lander;
  /**
   * Starts this process's part in the run's merge queue (`queue` landing mode): the process that holds
   * the queue lease checks and lands what workers submit. Absent in `direct` mode.
   */
  mergeQueue?: (runId: string) => MergeQueue;
  models: FleetModels;
  /** External agent programs serving roles whose chain opens with `engine:…`; absent: cadre's loop for all. */
  engines?: FleetEngines;
  prompts: Record<'planner' | 'worker' | 'judge', LoadedPrompt>;
  toolConfig: ToolConfig;
  /** The shell sandbox; absent means the shell tool's own default. */
  sandbox?: Sandbox;
  /** The project's checks, run by the judge (and by the lander when the fleet checks before landing). */
  checks?: ChecksConfig;
  /** Stateless tool sets shared by every agent (each call gets its own context); built per agent when absent. */
  sharedTools?: { read: Tool[]; workspace: Tool[] };
  tokenCounter: TokenCounter;
  config: FleetConfig;
  clock: Clock;
  /** Makes the id of each new agent. */
  newAgentId: () => string;
  /** How often agents poll their inbox while busy (default 250 ms). */
  inboxPollIntervalMs?: number;
  /** Which process runs this fleet's agents, recorded with each one; absent means an orchestrator. */
  placement?: AgentPlacement;
  /** Receives one line per notable decision, for the terminal. */
  log?: (line: string) => void;
}
