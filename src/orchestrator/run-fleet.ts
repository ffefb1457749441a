import { openFleetRun } from './fleet-run/fleet-run-state.ts';
import type { RunFleetOptions, RunSummary } from './fleet-run/fleet-run-types.ts';
import { closeFleetRun, startFleetServices } from './fleet-run/fleet-services.ts';
import { findStart, runCycles } from './fleet-run/run-cycles.ts';
import { failIfNoModelAnswered, summarizeRun } from './fleet-run/summarize-run.ts';

export type { FleetProgress, RunFleetOptions, RunSummary } from './fleet-run/fleet-run-types.ts';

/**
 * Drives a run from the board: cycles of planning and work, each ended by the judge, until the
 * judge says stop, the cycle limit or the budget is reached, or a stop arrives. Starts where the
 * board says the run is, so the same call resumes a run whose process died.
 */
export async function runFleet(options: RunFleetOptions): Promise<RunSummary> {
  const fleet = await openFleetRun(options);
  const services = startFleetServices(fleet);
  try {
    const start = await findStart(fleet);
    switch (start.type) {
      case 'ended':
        fleet.reason = start.reason;
        break;
      case 'resume':
        await runCycles(fleet, start);
        await failIfNoModelAnswered(fleet);
        break;
    }
    return await summarizeRun(fleet);
  } catch (error) {
    fleet.status = 'failed';
    fleet.reason = (error as Error).message;
    throw error;
  } finally {
    await closeFleetRun(fleet, services);
  }
}
