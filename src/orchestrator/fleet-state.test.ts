import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createFleetState } from './fleet-state.ts';

describe('fleet state kicks', () => {
  it('wakes every waiter on a kick, and each waits for the next one afresh', async () => {
    const state = createFleetState();
    const signal = new AbortController().signal;
    const woken: number[] = [];
    const waits = [1, 2, 3].map((index) => state.nextKick(60_000, signal).then(() => woken.push(index)));
    expect(state.kicks).toBe(0);
    state.kick();
    await Promise.all(waits);
    expect(woken.sort()).toEqual([1, 2, 3]);
    expect(state.kicks).toBe(1);
    let later = false;
    const next = state.nextKick(60_000, signal).then(() => {
      later = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(later).toBe(false);
    state.kick();
    await next;
  });

  it('ends a wait at its timeout, and at once on an aborted signal', async () => {
    const state = createFleetState();
    await state.nextKick(5, new AbortController().signal);
    await state.nextKick(60_000, AbortSignal.abort());
  });

  it('wakes the waiters of a signal when it aborts, with one listener for all of them', async () => {
    const state = createFleetState();
    const controller = new AbortController();
    const waits = Array.from({ length: 50 }, () => state.nextKick(60_000, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await Promise.all(waits);
  });
});
