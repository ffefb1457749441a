import type { Task } from '../../protocol/index.ts';
import { runClaimedAgent } from '../claimed-agent.ts';
import { runSlotLoop, type SlotClaim } from '../slot-loop.ts';
import { type CycleWork, checkDrained, deferClosing, finishCycle } from './cycle-work-state.ts';

/** One planner or worker slot of the cycle: claims tasks of its kind and runs one agent per task. */
export function runCycleSlot(work: CycleWork, role: 'planner' | 'worker'): Promise<void> {
  const { deps, state, run } = work.options;
  const { board, config } = deps;
  return runSlotLoop({
    state,
    newAgentId: deps.newAgentId,
    signal: work.controller.signal,
    isFinished: () => work.outcome !== null,
    claim: async (agentId, signal) => {
      const lease = await board.claim(
        {
          owner: agentId,
          ttlMs: config.leaseTtlMs,
          filter: { runId: run.id, kinds: [role === 'planner' ? 'plan' : 'work'] },
        },
        { signal },
      );
      return lease ? { lease, role } : null;
    },
    work: (claim, agentId) => workOnClaim(work, claim, agentId),
    onIdle: () => checkDrained(work),
    ...(deps.log ? { log: deps.log } : {}),
  });
}

/** Runs the agent of a claim, counting its busy time and cost for the fleet (the budget ends the cycle). */
function workOnClaim(work: CycleWork, claim: SlotClaim, agentId: string): Promise<void> {
  const { deps, state, run, cycle, previousVerdict } = work.options;
  const { task } = claim.lease;
  return runClaimedAgent({
    deps,
    state,
    run,
    claim,
    agentId,
    cycle: async () => ({ n: cycle.n, previousVerdict }),
    job: {
      parentAgentId: parentAgentOf(work, task),
      signal: work.controller.signal,
      inbox: state.inbox,
      defer: (closing) => deferClosing(work, closing),
      onBusy: (milliseconds) => {
        state.busyMs += milliseconds;
      },
      onCost: (dollars) => {
        state.costUsd += dollars;
        if (deps.config.budgetUsd > 0 && state.costUsd >= deps.config.budgetUsd) finishCycle(work, 'budget');
      },
      onModelCall: (call) => state.recordModelCall(call),
      onSetup: work.onSetup,
    },
    onStart: () => {
      work.busySlots++;
      state.agentOfTask.set(task.id, agentId);
    },
    onEnd: () => {
      work.busySlots--;
    },
    log: deps.log,
  });
}

/** The agent of this process that ran the task's parent (sub-planners and workers record it). */
function parentAgentOf(work: CycleWork, task: Task): string | null {
  return task.parentId ? (work.options.state.agentOfTask.get(task.parentId) ?? null) : null;
}
