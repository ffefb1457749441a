import type { Run } from '../protocol/index.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';

/**
 * Takes back what a dead orchestrator of this run left behind: its leases go back to open
 * (without using an attempt — the agents did nothing wrong), its agents are marked failed, and
 * worktrees of dead processes are removed. A run is driven by one orchestrator process at a time,
 * so every lease of the run at start belongs to a process that is gone.
 */
export async function recoverRun(deps: FleetDependencies, run: Run, signal: AbortSignal): Promise<number> {
  let released = 0;
  const leased = await deps.board.listTasks({ runId: run.id, status: 'leased', limit: 10_000 });
  for (const task of leased) {
    await deps.board.release({ taskId: task.id, fence: task.fence }).then(
      () => {
        released++;
      },
      () => {},
    );
  }
  for (const agent of await deps.board.listAgents({ runId: run.id })) {
    if (agent.status === 'starting' || agent.status === 'running' || agent.status === 'paused') {
      await deps.board.updateAgent({ agentId: agent.id, patch: { status: 'failed' } }).catch(() => {});
    }
  }
  await deps.worktrees.cleanStale(signal);
  return released;
}
