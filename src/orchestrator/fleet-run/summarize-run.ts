import { noModelAnswered, runNotes } from '../run-end.ts';
import type { FleetRun } from './fleet-run-state.ts';
import type { RunSummary } from './fleet-run-types.ts';

/** Whatever else ended the run, a run in which no model ever answered did nothing: it failed. */
export async function failIfNoModelAnswered(fleet: FleetRun): Promise<void> {
  if (fleet.status === 'stopped') return;
  const silent = await noModelAnswered(fleet.deps, fleet.run.id, fleet.state);
  if (!silent) return;
  fleet.status = 'failed';
  fleet.reason = silent;
}

/** Stores the run's end on the board and sums it up: cycles, tasks and the fleet's counters. */
export async function summarizeRun(fleet: FleetRun): Promise<RunSummary> {
  const { deps, state, run, status, reason } = fleet;
  const { board } = deps;
  const cycles = await board.listCycles(run.id);
  const notes = await runNotes(deps, run.id);
  await board
    .appendEvent({ runId: run.id, type: 'orchestrator.run-ended', payload: { status, reason, notes } })
    .catch((error: unknown) => deps.log?.(`could not store the run's end: ${(error as Error).message}`));
  return {
    runId: run.id,
    status,
    reason,
    notes,
    cycles: cycles.map((cycle) => ({ n: cycle.n, status: cycle.status, verdict: cycle.verdict })),
    tasks: await board.countTasks(run.id),
    agentsStarted: state.agentsStarted,
    busyMs: state.busyMs,
    costUsd: state.costUsd,
    wallMs: deps.clock() - fleet.startedAt,
    recoveredLeases: fleet.recoveredLeases,
  };
}
