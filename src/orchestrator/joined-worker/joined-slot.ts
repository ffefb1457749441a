import type { AgentJobResult } from '../agent-runner.ts';
import { runClaimedAgent } from '../claimed-agent.ts';
import { readCycleContext } from '../role-sessions.ts';
import { runSlotLoop, type SlotClaim } from '../slot-loop.ts';
import { type JoinedWorker, leaveRun, type ServedRun } from './joined-worker-state.ts';

/** One of the worker's slots: claims from the served runs in turn and runs one agent per task. */
export function runJoinedSlot(worker: JoinedWorker): Promise<void> {
  const { options } = worker;
  return runSlotLoop({
    state: worker.state,
    newAgentId: worker.newAgentId,
    signal: worker.stopped.signal,
    isFinished: () => worker.finished,
    claim: (agentId, signal) => claimFromServed(worker, agentId, signal),
    work: (claim, agentId) => workOnClaim(worker, claim, agentId),
    // nothing to claim: wait for a board event (or the discovery interval), not a tight poll
    idleWaitMs: 2000,
    ...(options.log ? { log: options.log } : {}),
  });
}

/** Leases a task of the served runs that are neither ended nor paused, starting at the next run's turn. */
async function claimFromServed(
  worker: JoinedWorker,
  agentId: string,
  signal: AbortSignal,
): Promise<SlotClaim | null> {
  const candidates = [...worker.served.values()].filter(
    (entry) => !entry.ended && entry.run.status !== 'paused',
  );
  for (let index = 0; index < candidates.length; index++) {
    const entry = candidates[(worker.rotation + index) % candidates.length] as ServedRun;
    const lease = await entry.deps.board.claim(
      {
        owner: agentId,
        ttlMs: entry.deps.config.leaseTtlMs,
        filter: { runId: entry.run.id, kinds: worker.kinds },
      },
      { signal },
    );
    if (!lease) continue;
    worker.rotation++;
    return { lease, role: lease.task.kind === 'plan' ? 'planner' : 'worker' };
  }
  return null;
}

/** Runs the agent of a claim in its run's fleet, counting it in the run's agents and the summary. */
async function workOnClaim(worker: JoinedWorker, claim: SlotClaim, agentId: string): Promise<void> {
  const entry = worker.served.get(claim.lease.runId);
  if (!entry) return;
  const { summary } = worker;
  await runClaimedAgent({
    deps: entry.deps,
    state: worker.state,
    run: entry.run,
    claim,
    agentId,
    cycle: (task) => readCycleContext(entry.deps, task),
    job: {
      // the parent agent ran in another process; the board's task tree still links them
      parentAgentId: null,
      signal: entry.controller.signal,
      inbox: entry.inbox,
      onSetup: entry.onSetup,
    },
    onStart: () => {
      entry.agents++;
      summary.agentsStarted++;
    },
    onSettled: (outcome) => countSettlement(worker, outcome, agentId, claim.lease.task.id),
    onFailed: () => {
      summary.failed++;
    },
    onEnd: async () => {
      entry.agents--;
      if (entry.ended && entry.agents === 0) await leaveRun(worker, entry);
    },
    log: worker.options.log,
  });
}

/** Counts how an agent's task was settled; a lost lease is said, since its work was dropped. */
function countSettlement(
  worker: JoinedWorker,
  outcome: AgentJobResult,
  agentId: string,
  taskId: string,
): void {
  const { summary } = worker;
  switch (outcome.settlement.type) {
    case 'complete':
      summary.completed++;
      break;
    case 'lease-lost':
      summary.leasesLost++;
      worker.options.log?.(`agent ${agentId} lost the lease of ${taskId}; its work was dropped`);
      break;
    case 'fail':
      summary.failed++;
      break;
  }
}
