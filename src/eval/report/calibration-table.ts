import type { CalibrationResult } from '../calibrate.ts';

/** A calibration as people read it: injected vs measured per metric, and the verdict. */
export function calibrationTable(result: CalibrationResult): string {
  const rows = result.rows.map(
    (row) =>
      `| ${row.metric} | ${row.injected.toFixed(3)} | ${row.measured.toFixed(3)} | ${row.difference >= 0 ? '+' : ''}${row.difference.toFixed(3)} | ${row.withinTolerance ? 'yes' : 'NO'} |\n`,
  );
  return [
    `calibration of ${result.suite} (SIMULATED agent, ${result.trials} trials, tolerance ±${result.tolerance})\n`,
    '| metric | injected | measured | difference | ok |\n|---|---|---|---|---|\n',
    ...rows,
    result.passed ? 'calibrated: every metric within tolerance\n' : 'NOT calibrated\n',
  ].join('');
}
