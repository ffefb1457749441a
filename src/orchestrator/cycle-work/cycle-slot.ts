import type { Task } from '../../protocol/index.ts';
import { runClaimedAgent } from '../claimed-agent.ts';
import { runSlotLoop, type SlotClaim } from '../slot-loop.ts';
import { type CycleWork, checkDrained, deferClosing, finishCycle } from './cycle-work-state.ts';

/**
 * How long a claim that found nothing answers for every idle slot of its role, unless a kick came
 * since. Each idle slot wakes every 500 ms; without this, 1,000 idle slots asked the board 2,000
 * times a second for tasks it did not have. Changes in this process kick; a task filed by another
 * process is still seen within this time, by the first slot that wakes after it.
 */
const emptyClaimHoldMs = 400;

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
      const empty = work.emptyClaims[role];
      const kicks = state.kicks;
      if (empty.kicks === kicks && performance.now() - empty.at < emptyClaimHoldMs) return null;
      const lease = await board.claim(
        {
          owner: agentId,
          ttlMs: config.leaseTtlMs,
          filter: { runId: run.id, kinds: [role === 'planner' ? 'plan' : 'work'] },
        },
        { signal },
      );
      if (!lease) {
        empty.kicks = kicks;
        empty.at = performance.now();
      }
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
