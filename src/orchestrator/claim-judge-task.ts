import type { Cycle, Lease, Run, Task } from '../protocol/index.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';

/** One judge attempt's own task and its lease on it. */
export interface JudgeClaim {
  task: Task;
  lease: Lease;
}

/** Stray judge tasks one attempt cancels at most before it gives up claiming its own. */
const mostStrays = 20;

/**
 * Files a judge task for one attempt and leases exactly that task. The board claims by kind, not by
 * id, so an older open judge task of the run (reopened after its agent crashed or its lease
 * expired) would be handed out first; settling it with this attempt's task would be refused and the
 * verdict lost. Such a stray is cancelled, loudly, and the claim repeated.
 */
export async function claimJudgeTask(
  deps: FleetDependencies,
  options: { run: Run; cycle: Cycle; agentId: string; signal: AbortSignal },
): Promise<JudgeClaim> {
  const { board } = deps;
  const { run, cycle, agentId, signal } = options;
  const [task] = await board.createTasks(
    [{ runId: run.id, cycleId: cycle.id, kind: 'judge', title: `judge cycle ${cycle.n}`, priority: 1000 }],
    { signal },
  );
  if (!task) throw new Error(`the board filed no judge task for cycle ${cycle.n} of run ${run.id}`);
  for (let strays = 0; strays <= mostStrays; strays++) {
    const lease = await board.claim(
      { owner: agentId, ttlMs: deps.config.leaseTtlMs, filter: { runId: run.id, kinds: ['judge'] } },
      { signal },
    );
    if (!lease)
      throw new Error(
        `could not lease judge task ${task.id}: another process took it. Only one orchestrator may drive run ${run.id}; stop the other one and resume the run.`,
      );
    if (lease.taskId === task.id) return { task: lease.task, lease };
    const reason = `a stray judge task: each judge attempt of cycle ${cycle.n} files and claims its own (${task.id})`;
    await board.cancelSubtree({ taskId: lease.taskId, reason }, { signal });
    await board.appendEvent({
      runId: run.id,
      taskId: lease.taskId,
      type: 'judge.stray-cancelled',
      payload: { reason },
    });
    deps.log?.(`cancelled judge task ${lease.taskId}: ${reason}`);
  }
  throw new Error(
    `could not lease judge task ${task.id}: more than ${mostStrays} other open judge tasks of run ${run.id} came first`,
  );
}
