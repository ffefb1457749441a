import type { Cycle, Run, RunStatus } from '../../protocol/index.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import { createFleetInbox } from '../fleet-inbox.ts';
import { createFleetState, type FleetState } from '../fleet-state.ts';
import { recoverRun } from '../recover-run.ts';
import { setRunStatus } from '../run-status.ts';
import type { RunFleetOptions } from './fleet-run-types.ts';

/**
 * Everything one drive of a run knows: what is fixed at its start (readonly) and what changes as its
 * cycles go (the run's row, the cycle under way, and how the run ended so far).
 */
export interface FleetRun {
  readonly options: RunFleetOptions;
  readonly deps: FleetDependencies;
  readonly state: FleetState;
  readonly startedAt: number;
  /** Aborted by a stop (the caller's, the inbox's, the run's end): it reaches every agent. */
  readonly controller: AbortController;
  /** Stops the run for a reason; the first reason given is the one reported. */
  readonly stop: (reason: string) => void;
  /** The first reason given to `stop`, or the empty string. */
  readonly stopReason: () => string;
  /** The listener on the caller's signal, removed when the run ends. */
  readonly onOuterAbort: () => void;
  /** Leases taken back from a dead orchestrator when the run resumed. */
  readonly recoveredLeases: number;
  run: Run;
  /** The cycle under way, for the progress line; null between cycles. */
  currentCycle: Cycle | null;
  status: RunStatus;
  reason: string;
}

/**
 * Links the drive to the caller's stop, reads the run, takes back the leases of a dead orchestrator
 * and marks the run running (a paused run stays paused), with the agents' shared inbox poller.
 */
export async function openFleetRun(options: RunFleetOptions): Promise<FleetRun> {
  const { deps } = options;
  const startedAt = deps.clock();
  const state = options.state ?? createFleetState();
  const controller = new AbortController();
  let stopReason = '';
  const stop = (reason: string) => {
    stopReason ||= reason;
    controller.abort(new Error(reason));
    state.kick();
  };
  const onOuterAbort = () => stop('interrupted');
  options.signal.addEventListener('abort', onOuterAbort, { once: true });
  const run = await deps.board.getRun(options.runId);
  const recoveredLeases = await recoverRun(deps, run, controller.signal);
  if (run.status === 'paused') state.paused = true;
  if (run.status !== 'running' && run.status !== 'paused') await setRunStatus(deps.board, run.id, 'running');
  state.inbox = createFleetInbox(deps.board, run.id, deps.inboxPollIntervalMs ?? 250);
  return {
    options,
    deps,
    state,
    startedAt,
    controller,
    stop,
    stopReason: () => stopReason,
    onOuterAbort,
    recoveredLeases,
    run,
    currentCycle: null,
    status: 'done',
    reason: '',
  };
}
