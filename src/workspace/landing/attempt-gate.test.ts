import { describe, expect, it } from 'vitest';
import { createAttemptGate } from './attempt-gate.ts';

describe('the attempt gate', () => {
  it('lets one caller in at a time, in arrival order, and counts the time held and waited', async () => {
    let now = 0;
    const gate = createAttemptGate(1, () => now);
    const signal = new AbortController().signal;
    const order: string[] = [];
    let releaseFirst = () => {};
    const first = gate.run(
      () =>
        new Promise<void>((resolve) => {
          order.push('first in');
          releaseFirst = resolve;
        }),
      signal,
    );
    const second = gate.run(async () => {
      order.push('second in');
    }, signal);
    await Promise.resolve();
    expect(order).toEqual(['first in']);
    now = 40;
    expect(gate.usage()).toEqual({ occupiedMs: 40, waitedMs: 0, entries: 1 });
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'second in']);
    // the slot passed straight on: held without a gap from 0 to 40, the second waited 40
    expect(gate.usage()).toEqual({ occupiedMs: 40, waitedMs: 40, entries: 2 });
    now = 100;
    expect(gate.usage().occupiedMs).toBe(40);
  });

  it('counts a caller that gave up waiting, and lets the next one in', async () => {
    let now = 0;
    const gate = createAttemptGate(1, () => now);
    let releaseFirst = () => {};
    const first = gate.run(
      () => new Promise<void>((resolve) => (releaseFirst = resolve)),
      new AbortController().signal,
    );
    const impatient = new AbortController();
    const waiting = gate.run(async () => 'never', impatient.signal);
    now = 10;
    impatient.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    releaseFirst();
    await first;
    expect(await gate.run(async () => 'third', new AbortController().signal)).toBe('third');
    expect(gate.usage()).toMatchObject({ waitedMs: 10, entries: 2 });
  });
});
