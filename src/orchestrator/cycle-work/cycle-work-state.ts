import { setMaxListeners } from 'node:events';
import type { SetupOutcome } from '../agent-runner.ts';
import { isWorkDrained } from '../cycle-drain.ts';
import { createSetupTracker } from '../setup-pause.ts';
import type { CycleWorkOptions, CycleWorkOutcome } from './cycle-work-types.ts';

/** Everything one cycle's work phase knows: its stop, its time box, its busy slots and how it ended. */
export interface CycleWork {
  readonly options: CycleWorkOptions;
  /** Aborted when the cycle ends early (time box, budget) or the run stops: every agent stops with it. */
  readonly controller: AbortController;
  /** The listener on the run's signal, removed when the phase ends. */
  readonly stopCycle: () => void;
  /** Counts failing worktree setups in a row: at the limit they pause the run. */
  readonly onSetup: (outcome: SetupOutcome) => void;
  /** Agents' closing bookkeeping, off their slots' path; the cycle ends only after all of it. */
  readonly closing: Set<Promise<unknown>>;
  /** Set once the phase started: ends it when the time box runs out. */
  timeBox: ReturnType<typeof setTimeout> | undefined;
  /** Slots running an agent now. */
  busySlots: number;
  /** The first reason the phase ended for. */
  outcome: CycleWorkOutcome | null;
  /** The drain check reading the board now, which every slot that asks meanwhile shares. */
  drainCheck: Promise<void> | null;
  /** The last claim of each role that found nothing, so idle slots do not all ask again at once. */
  readonly emptyClaims: Record<'planner' | 'worker', EmptyClaim>;
}

/** When a claim of a role last found nothing, and how many kicks the fleet had had when it asked. */
export interface EmptyClaim {
  kicks: number;
  at: number;
}

/** Links the phase to the run's stop and starts its time box. */
export function startCycleWork(options: CycleWorkOptions): CycleWork {
  const { deps, state, run } = options;
  const { config } = deps;
  const controller = new AbortController();
  // every idle slot waits on this signal: that many listeners is the design, not a leak
  setMaxListeners(config.planners + config.workers + 10, controller.signal);
  const stopCycle = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', stopCycle, { once: true });
  const work: CycleWork = {
    options,
    controller,
    stopCycle,
    onSetup: createSetupTracker(deps, state, run.id),
    closing: new Set(),
    timeBox: undefined,
    busySlots: 0,
    outcome: null,
    drainCheck: null,
    emptyClaims: { planner: { kicks: -1, at: 0 }, worker: { kicks: -1, at: 0 } },
  };
  if (config.cycleTimeBoxMs > 0)
    work.timeBox = setTimeout(() => finishCycle(work, 'time-box'), config.cycleTimeBoxMs);
  return work;
}

/** Ends the phase for a reason (the first one given counts); anything but a drain stops the agents. */
export function finishCycle(work: CycleWork, reason: CycleWorkOutcome): void {
  work.outcome ??= reason;
  if (reason !== 'drained') work.controller.abort(new Error(`cycle ended: ${reason}`));
  work.options.state.kick();
}

/** Takes an agent's closing bookkeeping; the phase waits for it before it ends. */
export function deferClosing(work: CycleWork, closing: Promise<unknown>): void {
  work.closing.add(closing);
  void closing.finally(() => {
    work.closing.delete(closing);
    // the last settlement commits after every slot went idle: someone must look for the drain
    if (work.busySlots === 0) work.options.state.kick();
  });
}

/**
 * Ends the phase once the board says the work is drained and no slot here is busy. One kick wakes
 * every idle slot and each asks: a check already reading the board answers them all (1,000 idle
 * slots made 1,000 counts of every task per kick at the end of a cycle). A slot that asks after it
 * finished reads again, and an idle slot asks again within its idle wait.
 */
export function checkDrained(work: CycleWork): Promise<void> {
  if (work.busySlots > 0 || work.outcome) return Promise.resolve();
  work.drainCheck ??= readDrain(work).finally(() => {
    work.drainCheck = null;
  });
  return work.drainCheck;
}

/** One read of the board: ends the phase when nothing is left and no slot here is busy. */
async function readDrain(work: CycleWork): Promise<void> {
  const { board } = work.options.deps;
  // a board that cannot be read now is not drained; the next check asks again
  const drained = await isWorkDrained(board, work.options.run.id, work.controller.signal).catch(() => false);
  if (drained && work.busySlots === 0) finishCycle(work, 'drained');
}

/** Agents of joined workers finish without kicking this process: watches the board for the drain too. */
export async function watchDrain(work: CycleWork): Promise<void> {
  while (!work.outcome && !work.controller.signal.aborted) {
    await checkDrained(work);
    if (!work.outcome) await work.options.state.nextKick(500, work.controller.signal);
  }
}

/** Waits for the agents' closing, then stops the time box and unlinks the run's stop. */
export async function endCycleWork(work: CycleWork): Promise<CycleWorkOutcome> {
  await Promise.all(work.closing);
  clearTimeout(work.timeBox);
  work.options.signal.removeEventListener('abort', work.stopCycle);
  if (work.options.signal.aborted) return 'stopped';
  return work.outcome ?? 'stopped';
}
