import { describe, expect, it } from 'vitest';
import { cpuBetween, sampleCpu } from './thread-cpu.ts';

describe('sampleCpu', () => {
  it('sees busy work on the main thread, and the process total is at least the main thread', () => {
    const before = sampleCpu();
    const started = performance.now();
    let spin = 0;
    while (performance.now() - started < 300) spin += Math.sqrt(spin + 1);
    const used = cpuBetween(before, sampleCpu());
    expect(spin).toBeGreaterThan(0);
    expect(used.processMs).toBeGreaterThan(150);
    if (process.platform === 'linux') {
      expect(used.mainThreadMs).not.toBeNull();
      expect(used.mainThreadMs).toBeGreaterThan(150);
      // ticks are 10 ms apart; the process total counts the same thread plus its helpers
      expect(used.mainThreadMs ?? 0).toBeLessThanOrEqual(used.processMs + 20);
    }
  });
});
