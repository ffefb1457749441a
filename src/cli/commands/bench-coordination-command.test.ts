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

const small = ['--agents', '1,3', '--latency-ms', '3', '--tasks-per-agent', '2', '--out', 'lab'];

describe('cadre bench coordination', () => {
  it('writes the markdown table and the SVG chart and says where', async () => {
    const { stdout, stderr } = await run([...small, '--strategies', 'flat-lock,flat-occ,hierarchical']);
    const table = await readFile(join(directory, 'lab', 'coordination.md'), 'utf8');
    const chart = await readFile(join(directory, 'lab', 'coordination.svg'), 'utf8');
    expect(table).toContain('| strategy | agents | tasks | tasks_done |');
    expect(table.match(/^\| (flat-lock|flat-occ|hierarchical) \|/gm)).toHaveLength(6);
    expect(chart).toMatch(/^<svg /);
    expect(chart.match(/<polyline /g)).toHaveLength(3);
    expect(stdout).toContain(join(directory, 'lab', 'coordination.svg'));
    expect(stderr).toContain('flat-lock with 3 agents');
  });

  it('prints one JSON object with every row under --json', async () => {
    const { stdout } = await run([...small, '--strategies', 'flat-occ', '--json']);
    const result = JSON.parse(stdout) as { rows: Array<Record<string, unknown>>; chart: string };
    expect(result.rows.map((row) => row.agents)).toEqual([1, 3]);
    expect(result.rows[1]).toMatchObject({
      strategy: 'flat-occ',
      tasks: 6,
      tasks_done: 6,
      duplicate_work: 0,
    });
    expect(result.chart).toBe(join(directory, 'lab', 'coordination.svg'));
  });

  it('refuses an unknown strategy', async () => {
    await expect(run([...small, '--strategies', 'anarchy'])).rejects.toThrow(/not one of flat-lock/);
  });
});
