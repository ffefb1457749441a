import type { Run, Task } from '../protocol/index.ts';
import { type AgentJob, type AgentJobResult, runAgentJob } from './agent-runner.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';
import { type CycleContext, createRoleSession } from './role-sessions.ts';
import type { SlotClaim } from './slot-loop.ts';

/** Options of runClaimedAgent: the claim, and where the run's process and a joined worker differ. */
export interface ClaimedAgentOptions {
  deps: FleetDependencies;
  state: FleetState;
  run: Run;
  claim: SlotClaim;
  agentId: string;
  /** The cycle the task belongs to, for the role's session (a joined worker reads it from the board). */
  cycle: (task: Task) => Promise<CycleContext>;
  /** The agent's stop, inbox, parent and the fleet's callbacks, passed on to its job. */
  job: Omit<AgentJob, 'role' | 'task' | 'lease' | 'agentId' | 'session'>;
  /** Counts the agent in before it starts (busy slots, a served run's agents). */
  onStart?: () => void;
  /** How the agent's task was settled (a joined worker counts it). */
  onSettled?: (outcome: AgentJobResult) => void;
  /** The agent's job threw (after it gave its task back); the failure is logged too. */
  onFailed?: () => void;
  /** Counts the agent out once it ended, before the idle slots are woken. */
  onEnd?: () => Promise<void> | void;
  /** Where a failing agent is said. */
  log?: (line: string) => void;
}

/**
 * Runs one fresh planner or worker agent on a claimed lease with its role's session, counting it
 * among the fleet's active agents while it runs. A failing agent is logged, never thrown: its slot
 * goes on claiming.
 */
export async function runClaimedAgent(options: ClaimedAgentOptions): Promise<void> {
  const { deps, state, run, agentId } = options;
  const { lease, role } = options.claim;
  const { task } = lease;
  options.onStart?.();
  state.active.set(agentId, role);
  state.agentsStarted++;
  try {
    const cycle = await options.cycle(task);
    const outcome = await runAgentJob(deps, {
      ...options.job,
      role,
      task,
      lease,
      agentId,
      session: (worktree) =>
        createRoleSession({
          deps,
          run,
          cycle,
          role,
          task,
          agentId,
          worktreePath: worktree.path,
          onFiled: () => state.kick(),
        }),
    });
    options.onSettled?.(outcome);
  } catch (error) {
    options.onFailed?.();
    options.log?.(`agent ${agentId} failed: ${(error as Error).message}`);
  } finally {
    state.active.delete(agentId);
    await options.onEnd?.();
    state.kick();
  }
}
