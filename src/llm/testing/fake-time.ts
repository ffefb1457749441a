import type { Sleep } from '../abortable.ts';

/** A clock and a sleep that advances it at once, so tests of backoff and cool-downs never wait. */
export interface FakeTime {
  clock: () => number;
  sleep: Sleep;
  /** Every delay asked for, in order. */
  readonly sleeps: number[];
  advance(milliseconds: number): void;
}

/** Creates fake time starting at `start` milliseconds. */
export function createFakeTime(start = 1_700_000_000_000): FakeTime {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleeps,
    advance(milliseconds) {
      now += milliseconds;
    },
    async sleep(milliseconds, signal) {
      if (signal.aborted) throw signal.reason;
      sleeps.push(milliseconds);
      now += milliseconds;
    },
  };
}
