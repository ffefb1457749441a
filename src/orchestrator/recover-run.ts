import { listAllTasks } from '../board/index.ts';
import type { Run } from '../protocol/index.ts';
import { agentsOfFormerOrchestrators } from './agent-placement.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';

/**
 * Takes back what a dead orchestrator of this run left behind: leases held by agents that an
 * earlier orchestrator process of the run started go back to open (without using an attempt — the
 * agents did nothing wrong), those agents are marked failed, and worktrees of dead processes on this
 * machine are removed. Only one orchestrator drives a run at a time, so its former agents died with
 * it. Leases of joined `cadre worker` processes are left alone: a live worker keeps heartbeating
 * them, and a dead one's expire and are reaped after the lease TTL.
 */
export async function recoverRun(deps: FleetDependencies, run: Run, signal: AbortSignal): Promise<number> {
  const current = deps.placement?.instance ?? '';
  const orphans = await agentsOfFormerOrchestrators(deps.board, run.id, current, signal);
  let released = 0;
  const leased = await listAllTasks(deps.board, { runId: run.id, status: 'leased' }, signal);
  for (const task of leased) {
    if (!task.leaseOwner || !orphans.has(task.leaseOwner)) continue;
    await deps.board.release({ taskId: task.id, fence: task.fence }).then(
      () => {
        released++;
      },
      () => {},
    );
  }
  for (const agent of await deps.board.listAgents({ runId: run.id })) {
    if (!orphans.has(agent.id)) continue;
    if (agent.status === 'starting' || agent.status === 'running' || agent.status === 'paused') {
      await deps.board.updateAgent({ agentId: agent.id, patch: { status: 'failed' } }).catch(() => {});
    }
  }
  await deps.worktrees.cleanStale(signal);
  return released;
}
