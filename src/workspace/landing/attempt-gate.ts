/** How much a gate serialised: time it was held by anyone, and time callers waited for a slot. */
export interface GateUsage {
  /** Milliseconds during which at least one slot was held. */
  occupiedMs: number;
  /** Milliseconds callers spent waiting for a slot, summed over callers. */
  waitedMs: number;
  /** Slots granted. */
  entries: number;
}

/** A first-come-first-served limit on how many landers of one process race for the branch at once. */
export interface AttemptGate {
  /** Runs `work` once a slot is free; the slot is given back when it settles. */
  run<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T>;
  /** What the gate cost so far (benchmarks report the share of landing time spent in it). */
  usage(): GateUsage;
}

/**
 * Landers in one process that race for the same tip only waste work: one push wins and the others
 * fetch, rebase and push again. Queueing them (in arrival order) for the fetch-rebase-push section
 * keeps that section free of losers. Landers in other processes still race, and the hub's
 * fast-forward-only push settles who wins, so this is an optimisation, never a correctness need.
 */
export function createAttemptGate(
  capacity: number,
  clock: () => number = () => performance.now(),
): AttemptGate {
  let active = 0;
  const waiting: (() => void)[] = [];
  const usage: GateUsage = { occupiedMs: 0, waitedMs: 0, entries: 0 };
  let occupiedSince = 0;
  const enter = () => {
    if (active === 0) occupiedSince = clock();
    active++;
    usage.entries++;
  };
  const release = () => {
    const next = waiting.shift();
    if (next) {
      // the slot passes straight on: the gate stays occupied
      usage.entries++;
      next();
      return;
    }
    active--;
    if (active === 0) usage.occupiedMs += clock() - occupiedSince;
  };
  const acquire = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal.throwIfAborted();
      if (active < capacity) {
        enter();
        resolve();
        return;
      }
      const queuedAt = clock();
      const onAbort = () => {
        const index = waiting.indexOf(grant);
        if (index !== -1) waiting.splice(index, 1);
        usage.waitedMs += clock() - queuedAt;
        reject(signal.reason);
      };
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        usage.waitedMs += clock() - queuedAt;
        resolve();
      };
      waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  return {
    async run(work, signal) {
      await acquire(signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
    usage() {
      const now = clock();
      return { ...usage, occupiedMs: usage.occupiedMs + (active > 0 ? now - occupiedSince : 0) };
    },
  };
}
