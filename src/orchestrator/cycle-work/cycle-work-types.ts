import type { Cycle, Run } from '../../protocol/index.ts';
import type { Verdict } from '../../roles/index.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import type { FleetState } from '../fleet-state.ts';

/** How a cycle's planning and work phase ended. */
export type CycleWorkOutcome = 'drained' | 'time-box' | 'budget' | 'stopped';

/** Options of runCycleWork. */
export interface CycleWorkOptions {
  deps: FleetDependencies;
  state: FleetState;
  run: Run;
  cycle: Cycle;
  previousVerdict: Verdict | null;
  signal: AbortSignal;
}
