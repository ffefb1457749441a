import type { CoordinationReport } from './coordination-lab.ts';
import type { CoordinationRow } from './coordination-metrics.ts';
import type { CoordinationSweepRow } from './coordination-sweep.ts';

export { coordinationChart } from './coordination-chart.ts';

const rowColumns: Array<keyof CoordinationRow> = [
  'strategy',
  'agents',
  'tasks',
  'tasks_done',
  'unfinished_tasks',
  'wall_s',
  'tasks_per_agent_s',
  'effective_agents',
  'efficiency',
  'coordination_share',
  'waste_share',
  'lock_wait_share',
  'lag_share',
  'idle_share',
  'lock_hold_calls',
  'model_effective_agents',
  'occ_conflicts',
  'duplicate_work',
  'lost_tasks',
];

const sweepColumns: Array<keyof CoordinationSweepRow> = [
  'work_steps',
  'fault_rate',
  'agents',
  'tasks_done',
  'wall_s',
  'tasks_per_agent_s',
  'model_tasks_per_agent_s',
  'effective_agents',
  'model_effective_agents',
  'busy_agents',
  'model_busy_agents',
  'lock_hold_calls',
  'model_lock_hold_calls',
  'waste_share',
  'lag_share',
  'duplicate_work',
];

/** A markdown table of `columns`; null reads `-`, and a cut-off row's lost tasks read `cut off`. */
function markdownTable<Row extends object>(
  rows: readonly Row[],
  columns: ReadonlyArray<keyof Row & string>,
): string {
  const header = `| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|`;
  const cell = (row: Row, column: keyof Row & string) => {
    const value = row[column];
    if (column === 'lost_tasks' && 'cut_off' in row && row.cut_off === true) return 'cut off';
    return value === null ? '-' : String(value);
  };
  const lines = rows.map((row) => `| ${columns.map((column) => cell(row, column)).join(' | ')} |`);
  return `${header}\n${lines.join('\n')}\n`;
}

/** The settings and machine as one paragraph: a figure is never printed without them. */
export function describeSettings(report: CoordinationReport): string {
  const { cell, ...lab } = report.settings;
  const faults = cell.faults;
  const machine = report.machine;
  return [
    `Simulated agents (the sim model's rule-following policies), latency ${cell.latencyMs} ms per model call,`,
    `work steps ${cell.workSteps}, lock TTL ${cell.lockTtlSteps} calls, seed ${cell.seed},`,
    `faults per cycle: hold too long ${faults.holdTooLong} (${faults.holdTooLongSteps} calls), forget release ${faults.forgetRelease},`,
    `reacquire ${faults.reacquire}, unlocked write ${faults.unlockedWrite}; ${lab.tasks_per_agent} tasks per agent,`,
    `every run cut at ${cell.maxWallSeconds} s, git ${lab.git ? 'on' : 'off'}.`,
    `Machine: ${machine.cores} cores, ${machine.memory_gb} GB, ${machine.os}, Node ${machine.node},`,
    `load ${machine.load_average_1m_at_end} at the end.`,
  ].join(' ');
}

/**
 * The whole report as markdown: settings and machine, the strategies' table, and the flat-lock
 * sweep with the model's prediction beside each measurement.
 */
export function coordinationTable(report: CoordinationReport): string {
  const parts = [
    '# cadre bench coordination (simulated agents)',
    describeSettings(report),
    '## Strategies',
    markdownTable(report.rows, rowColumns),
  ];
  if (report.sweep !== null) {
    parts.push(
      '## flat-lock sensitivity',
      'Each value of `fault_rate` sets all four lock faults at once. `model_*` is predictFlatLock over the same wall time: effective agents ≈ (1 + work steps) / lock hold, with a hold of 3 calls plus what the faults add.',
      markdownTable(report.sweep, sweepColumns),
    );
  }
  return `${parts.join('\n\n').trimEnd()}\n`;
}
