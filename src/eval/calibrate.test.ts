import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationTolerance, defaultCalibrationRates, runCalibration } from './calibrate.ts';
import { underwritingSuite } from './suites/underwriting/underwriting-suite.ts';

describe('calibrate', () => {
  it('measures the injected rates within ±0.05 at 400+ trials on the underwriting suite', async () => {
    const signal = new AbortController().signal;
    const suite = await underwritingSuite.load({
      signal,
      seed: 1,
      workDirectory: await mkdtemp(path.join(tmpdir(), 'cadre-eval-')),
    });
    try {
      const result = await runCalibration({ suite, signal, minimumTrials: 720 });
      expect(result.trials).toBeGreaterThanOrEqual(400);
      expect(result.summary.infrastructureErrors).toBe(0);
      for (const row of result.rows)
        expect(Math.abs(row.measured - row.injected), row.metric).toBeLessThanOrEqual(calibrationTolerance);
      expect(result.rows.map((row) => row.injected)).toEqual([
        defaultCalibrationRates.accuracy,
        defaultCalibrationRates.toolError,
        defaultCalibrationRates.hallucination,
        defaultCalibrationRates.prematureStop,
      ]);
      expect(result.passed).toBe(true);
    } finally {
      await suite.close();
    }
  });
});
