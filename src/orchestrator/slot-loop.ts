import { OutcomeUnknownError } from '../board/index.ts';
import type { ClaimedLease } from '../protocol/index.ts';
import { isTransientBoardError, nextBackoff, pause } from './board-retry.ts';
import type { FleetState } from './fleet-state.ts';

/** A task one slot leased, and the role of the agent that will work on it. */
export interface SlotClaim {
  /** The lease, with the task as it was leased. */
  lease: ClaimedLease;
  role: 'planner' | 'worker';
}

/** Options of runSlotLoop. */
export interface SlotLoopOptions {
  state: FleetState;
  newAgentId: () => string;
  /** Ends the loop; a running agent is stopped through its own signal by `work`. */
  signal: AbortSignal;
  /** True once the slot should claim no more (its cycle drained). */
  isFinished: () => boolean;
  /** Leases one task for an agent with this id, or returns null when there is nothing to take. */
  claim: (agentId: string, signal: AbortSignal) => Promise<SlotClaim | null>;
  /** Runs one fresh agent on the claimed task; settles the task itself. */
  work: (claim: SlotClaim, agentId: string) => Promise<void>;
  /** Called after a claim found nothing, before the slot waits (the cycle checks whether it drained). */
  onIdle?: () => Promise<void>;
  /** Longest wait for a kick when idle (default 500 ms). */
  idleWaitMs?: number;
  log?: (line: string) => void;
}

/**
 * One agent slot: claims a task from the board, runs one fresh agent on it, and repeats; waits for a
 * kick (not a busy poll) when there is nothing to claim, holds while the fleet is paused, and backs
 * off when the board is unreachable instead of failing. Shared by the run's own process and by
 * `cadre worker`, so both claim and run agents the same way.
 */
export async function runSlotLoop(options: SlotLoopOptions): Promise<void> {
  const { state, signal } = options;
  let agentId: string | undefined;
  let backoff = 0;
  while (!options.isFinished() && !signal.aborted) {
    if (state.paused) {
      await state.nextKick(1000, signal);
      continue;
    }
    agentId ??= options.newAgentId();
    let claimed: SlotClaim | null;
    try {
      claimed = await options.claim(agentId, signal);
      backoff = 0;
    } catch (error) {
      if (signal.aborted) break;
      if (!isTransientBoardError(error)) throw error;
      // a claim whose fate is unknown may have leased a task to this id; that lease expires unused
      if (error instanceof OutcomeUnknownError) agentId = undefined;
      backoff = nextBackoff(backoff);
      options.log?.(`board unreachable, retrying in ${Math.round(backoff)} ms: ${(error as Error).message}`);
      await pause(backoff, signal);
      continue;
    }
    if (!claimed) {
      await options.onIdle?.();
      if (!options.isFinished()) await state.nextKick(options.idleWaitMs ?? 500, signal);
      continue;
    }
    const id = agentId;
    agentId = undefined;
    await options.work(claimed, id);
  }
}
