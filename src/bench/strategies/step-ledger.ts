/**
 * What a simulated step's nominal time went to. `work` is the task itself (a flat peer's do_work,
 * a hierarchical worker's turns); `coordination` is a step that mattered but only to share the
 * work out (a lock cycle that claimed a task, a planner filing tasks, the judge); `waste` is a step
 * that changed nothing (a refused write, a dawdling re-read, a reacquire, duplicated work, polling).
 */
export type StepKind = 'work' | 'coordination' | 'waste';

/**
 * Nominal agent-milliseconds by kind: the latency the sim model was configured to draw per call
 * and the work time a tool was configured to take, never the wall time around them. Wall time
 * beyond the nominal is lag (CPU, queues), reported apart so overload cannot pass for work.
 */
export interface StepLedger {
  workMs: number;
  coordinationMs: number;
  wasteMs: number;
  /** Steps of an attempt whose outcome is not known yet (a read whose write is still to come). */
  pendingMs: number;
}

/** An empty ledger. */
export function createStepLedger(): StepLedger {
  return { workMs: 0, coordinationMs: 0, wasteMs: 0, pendingMs: 0 };
}

/** Books `milliseconds` under `kind` now. */
export function charge(ledger: StepLedger, kind: StepKind, milliseconds: number): void {
  switch (kind) {
    case 'work':
      ledger.workMs += milliseconds;
      return;
    case 'coordination':
      ledger.coordinationMs += milliseconds;
      return;
    case 'waste':
      ledger.wasteMs += milliseconds;
      return;
    default:
      assertNever(kind);
  }
}

/** Holds `milliseconds` until the attempt they belong to succeeds or fails. */
export function defer(ledger: StepLedger, milliseconds: number): void {
  ledger.pendingMs += milliseconds;
}

/** Books every pending millisecond under `kind`: the attempt's outcome is known. */
export function settle(ledger: StepLedger, kind: StepKind): void {
  charge(ledger, kind, ledger.pendingMs);
  ledger.pendingMs = 0;
}

/** The sum of several ledgers (pending time included, as pending). */
export function sumLedgers(ledgers: readonly StepLedger[]): StepLedger {
  const total = createStepLedger();
  for (const ledger of ledgers) {
    total.workMs += ledger.workMs;
    total.coordinationMs += ledger.coordinationMs;
    total.wasteMs += ledger.wasteMs;
    total.pendingMs += ledger.pendingMs;
  }
  return total;
}

function assertNever(value: never): never {
  throw new Error(`unhandled step kind ${JSON.stringify(value)}`);
}
