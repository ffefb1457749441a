/** A first-come-first-served limit on how many landers of one process race for the branch at once. */
export interface AttemptGate {
  /** Runs `work` once a slot is free; the slot is given back when it settles. */
  run<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T>;
}

/**
 * Landers in one process that race for the same tip only waste work: one push wins and the others
 * fetch, rebase and push again. Queueing them (in arrival order) for the fetch-rebase-push section
 * keeps that section free of losers. Landers in other processes still race, and the hub's
 * fast-forward-only push settles who wins, so this is an optimisation, never a correctness need.
 */
export function createAttemptGate(capacity: number): AttemptGate {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const acquire = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal.throwIfAborted();
      if (active < capacity) {
        active++;
        resolve();
        return;
      }
      const onAbort = () => {
        const index = waiting.indexOf(grant);
        if (index !== -1) waiting.splice(index, 1);
        reject(signal.reason);
      };
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
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
  };
}
