import type { MergeQueue } from '../../workspace/index.ts';
import { wakeOnBoardChanges } from '../board-wake.ts';
import { watchRunInbox } from '../run-inbox.ts';
import { setRunStatus } from '../run-status.ts';
import type { FleetRun } from './fleet-run-state.ts';

/** What runs beside the cycles while a run is driven, stopped when it ends. */
export interface FleetServices {
  /** Reopens expired leases. */
  readonly reaper: ReturnType<typeof setInterval>;
  /** The run's inbox (pause, resume, stop, messages to every agent). */
  readonly inbox: Promise<void>;
  /** Follows the work of joined `cadre worker` processes. */
  readonly boardWake: Promise<void>;
  readonly progress: ReturnType<typeof setInterval>;
  /** This process's part in the merge queue, in `queue` landing mode. */
  readonly mergeQueue: MergeQueue | null;
}

/** Starts the reaper, the run's inbox, the follow of other processes and the progress reports. */
export function startFleetServices(fleet: FleetRun): FleetServices {
  const { deps, state, run, controller } = fleet;
  const { board, config } = deps;
  const reaper = setInterval(() => void board.reap().catch(() => {}), Math.max(500, config.leaseTtlMs / 2));
  const inbox = watchRunInbox({ deps, state, runId: run.id, stop: fleet.stop, signal: controller.signal });
  const boardWake = followOtherProcesses(fleet);
  const progress = setInterval(() => void reportProgress(fleet), fleet.options.progressIntervalMs ?? 1000);
  const mergeQueue = deps.mergeQueue?.(run.id) ?? null;
  return { reaper, inbox, boardWake, progress, mergeQueue };
}

/**
 * Stops what ran beside the cycles, waits for it, and stores the run's status. Runs however the
 * drive ended, so the status is the one the drive decided (or `failed` after a throw).
 */
export async function closeFleetRun(fleet: FleetRun, services: FleetServices): Promise<void> {
  const { deps, state } = fleet;
  clearInterval(services.reaper);
  state.inbox?.close();
  state.inbox = null;
  clearInterval(services.progress);
  fleet.controller.abort(new Error('run ended'));
  await services.inbox;
  await services.boardWake;
  await services.mergeQueue?.stop();
  fleet.options.signal.removeEventListener('abort', fleet.onOuterAbort);
  await setRunStatus(deps.board, fleet.run.id, fleet.status).catch(() => {});
}

/**
 * On a shared (PostgreSQL) board, joined `cadre worker` processes claim and finish tasks: follow
 * the log so slots wake and cycles end when they do. The marker event gives the follow a start.
 */
async function followOtherProcesses(fleet: FleetRun): Promise<void> {
  const { deps, state } = fleet;
  const runId = fleet.run.id;
  if (deps.board.backend !== 'postgres') return;
  const marker = await deps.board
    .appendEvent({ runId, type: 'orchestrator.started', payload: deps.placement ?? {} })
    .catch(() => null);
  await wakeOnBoardChanges({
    board: deps.board,
    runId,
    afterSeq: marker?.seq ?? 0,
    wake: () => state.kick(),
    signal: fleet.controller.signal,
  });
}

/** One progress report: the cycle, the agents by role, the tasks by status, and the fleet's counters. */
async function reportProgress(fleet: FleetRun): Promise<void> {
  const { options, state } = fleet;
  if (!options.onProgress) return;
  const tasks = await fleet.deps.board.countTasks(fleet.run.id).catch(() => null);
  if (!tasks) return;
  const roles = [...state.active.values()];
  options.onProgress({
    cycle: fleet.currentCycle?.n ?? 0,
    agents: {
      planner: roles.filter((role) => role === 'planner').length,
      worker: roles.filter((role) => role === 'worker').length,
      judge: roles.filter((role) => role === 'judge').length,
    },
    tasks,
    agentsStarted: state.agentsStarted,
    costUsd: state.costUsd,
    paused: state.paused,
  });
}
