import { describe, expect, it } from 'vitest';
import { ContextSettings } from '../agent/index.ts';
import { agentContextSettings } from './agent-context.ts';

describe('agentContextSettings', () => {
  it('keeps the fleet window and 16k of output for large models', () => {
    expect(agentContextSettings(128_000, { contextWindowTokens: 200_000, maxOutputTokens: 32_000 })).toEqual({
      windowTokens: 128_000,
      reservedOutputTokens: 16_000,
    });
  });

  it('fits a small self-hosted model: its window, its output cap, and valid settings', () => {
    for (const [window, output] of [
      [32_000, 4096],
      [8192, 8000],
      [4096, 2048],
    ] as const) {
      const settings = agentContextSettings(128_000, {
        contextWindowTokens: window,
        maxOutputTokens: output,
      });
      expect(settings.windowTokens).toBe(window);
      expect(settings.reservedOutputTokens).toBeLessThanOrEqual(output);
      expect(ContextSettings.safeParse(settings).success).toBe(true);
    }
  });

  it('uses the fleet window alone when the limits are unknown', () => {
    expect(agentContextSettings(64_000, null)).toEqual({
      windowTokens: 64_000,
      reservedOutputTokens: 16_000,
    });
  });
});
