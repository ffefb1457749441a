import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../testing/run-cli.ts';
import { registerBenchCoordinationCommand } from './bench-coordination-command.ts';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cadre-coordination-command-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await runInProcess(
    (program, io) => registerBenchCoordinationCommand(program.command('bench'), io),
    ['bench', 'coordination', ...args],
    { cwd: directory },
  );
  if (result.error) throw result.error;
  return result;
}

const small = ['--latency-ms', '3', '--tasks-per-agent', '2', '--out', 'lab'];
const noSweep = [...small, '--no-sweep'];

interface Report {
  simulated: boolean;
  settings: { cell: { latencyMs: number; maxWallSeconds: number }; sweep: unknown };
  machine: { cores: number; node: string };
  rows: Array<Record<string, number | string | boolean | null>>;
  sweep: Array<Record<string, number | boolean | null>> | null;
  table: string;
  chart: string;
}

describe('cadre bench coordination', () => {
  it('writes the report and the chart, with one sweep row per (work steps, fault rate) pair', async () => {
    const { stdout, stderr } = await run([
      ...small,
      '--agents',
      '3',
      '--strategies',
      'flat-lock,hierarchical',
      '--sweep-work-steps',
      '0,2',
      '--sweep-fault-rates',
      '0,0.5',
      '--sweep-agents',
      '2',
    ]);
    const report = JSON.parse(stdout) as Report;
    expect(report).toMatchObject({ simulated: true, settings: { cell: { latencyMs: 3 } } });
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.sweep?.map((row) => [row.work_steps, row.fault_rate])).toEqual([
      [0, 0],
      [0, 0.5],
      [2, 0],
      [2, 0.5],
    ]);
    for (const row of report.sweep ?? []) {
      expect(row.agents).toBe(2);
      // the model takes the cell's own rates: three calls per hold without faults, more with them
      if (row.fault_rate === 0) expect(row.model_lock_hold_calls).toBe(3);
      else expect(row.model_lock_hold_calls).toBeGreaterThan(3);
    }
    const table = await readFile(join(directory, 'lab', 'coordination.md'), 'utf8');
    const chart = await readFile(join(directory, 'lab', 'coordination.svg'), 'utf8');
    expect(table).toContain('| strategy | agents | tasks | tasks_done | unfinished_tasks |');
    expect(table).toContain('latency 3 ms per model call');
    expect(table.match(/^\| (flat-lock|hierarchical) \|/gm)).toHaveLength(2);
    expect(table.match(/^\| [02] \| (0|0\.5) \|/gm)).toHaveLength(4);
    expect(chart).toMatch(/^<svg /);
    // two strategies; two fault rates, each measured and modelled
    expect(chart.match(/<polyline /g)).toHaveLength(2 + 2 * 2);
    expect(report.chart).toBe(join(directory, 'lab', 'coordination.svg'));
    expect(stderr).toContain('flat-lock with 3 agents');
  });

  it('prints one JSON object whose rate per agent is tasks per second over agents', async () => {
    const { stdout } = await run([...noSweep, '--agents', '1,3', '--strategies', 'flat-occ', '--json']);
    const report = JSON.parse(stdout) as Report;
    expect(report.sweep).toBeNull();
    expect(report.rows.map((row) => row.agents)).toEqual([1, 3]);
    expect(report.rows[1]).toMatchObject({
      strategy: 'flat-occ',
      tasks: 6,
      tasks_done: 6,
      unfinished_tasks: 0,
      duplicate_work: 0,
    });
    for (const row of report.rows)
      expect(Number(row.tasks_per_agent_s) * Number(row.agents)).toBeCloseTo(Number(row.tasks_per_s), 2);
  });

  it('refuses an unknown strategy and a fault rate above 1', async () => {
    await expect(run([...noSweep, '--strategies', 'anarchy'])).rejects.toThrow(/not one of flat-lock/);
    await expect(run([...small, '--sweep-fault-rates', '0,2'])).rejects.toThrow(/from 0 to 1/);
  });
});
