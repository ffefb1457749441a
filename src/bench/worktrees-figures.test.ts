import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  judgeTargets,
  mapWithLimit,
  parseDuOutput,
  percentile,
  readyDisk,
  secondsSpread,
} from './worktrees-figures.ts';
import { readyProjectFixture } from './worktrees-project.ts';

describe('percentile', () => {
  it('takes the nearest rank, so the p99 of 19 samples is the largest', () => {
    const sorted = Array.from({ length: 19 }, (_, index) => index + 1);
    expect(percentile(sorted, 0.5)).toBe(10);
    expect(percentile(sorted, 0.99)).toBe(19);
    expect(percentile([4, 8], 0.5)).toBe(4);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('turns milliseconds into seconds, unsorted input included', () => {
    expect(secondsSpread([3000, 1000, 2000])).toEqual({ p50: 2, p99: 3 });
  });
});

describe('parseDuOutput', () => {
  it('reads du lines in argument order and gives 0 for a path du left out', () => {
    const output = '1000\t/t/template\n200\t/t/one\n300\t/t/two\n';
    expect(parseDuOutput(output, ['/t/template', '/t/one', '/t/missing', '/t/two'])).toEqual([
      1000, 200, 0, 300,
    ]);
  });

  it('counts a hard-linked file under the first path only, as the bench relies on', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cadre-du-'));
    try {
      const paths = ['template', 'one', 'two'].map((name) => join(directory, name));
      for (const path of paths) mkdirSync(path);
      writeFileSync(join(paths[0]!, 'big'), Buffer.alloc(1 << 20, 1));
      linkSync(join(paths[0]!, 'big'), join(paths[1]!, 'big'));
      writeFileSync(join(paths[2]!, 'big'), Buffer.alloc(1 << 20, 1));
      const output = execFileSync('du', ['-s', '--block-size=1', ...paths], { encoding: 'utf8' });
      const [template, linked, copied] = parseDuOutput(output, paths);
      expect(template).toBeGreaterThanOrEqual(1 << 20);
      expect(linked).toBeLessThan(64 * 1024);
      expect(copied).toBeGreaterThanOrEqual(1 << 20);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('readyDisk and judgeTargets', () => {
  it('charges the template to the first worktree and compares the mean of the rest with it', () => {
    const disk = readyDisk([9000, 1000, 400, 600, 500]);
    expect(disk).toEqual({
      templateBytes: 9000,
      firstBytes: 10_000,
      nextP50Bytes: 500,
      nextMeanBytes: 500,
      ratio: 0.05,
    });
  });

  it('can come out false on every target', () => {
    expect(judgeTargets({ nextP50Seconds: 2, diskRatio: 0.1, testsRun: 3, testsPassed: 3 })).toEqual({
      next_p50_le_2_s: true,
      disk_ratio_le_0_10: true,
      all_tests_pass: true,
    });
    expect(judgeTargets({ nextP50Seconds: 2.01, diskRatio: 0.11, testsRun: 3, testsPassed: 2 })).toEqual({
      next_p50_le_2_s: false,
      disk_ratio_le_0_10: false,
      all_tests_pass: false,
    });
    expect(
      judgeTargets({ nextP50Seconds: 1, diskRatio: 0, testsRun: 0, testsPassed: 0 }).all_tests_pass,
    ).toBe(false);
  });
});

describe('mapWithLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3], 2, async (value) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe('the ready-project fixture', () => {
  it('locks at least 300 packages, none with install scripts, and records no registry address', () => {
    const text = readFileSync(join(readyProjectFixture, 'package-lock.json'), 'utf8');
    const lock = JSON.parse(text) as { packages: Record<string, { hasInstallScript?: boolean }> };
    expect(Object.keys(lock.packages).length - 1).toBeGreaterThanOrEqual(300);
    expect(Object.values(lock.packages).filter((entry) => entry.hasInstallScript)).toEqual([]);
    expect(text).not.toContain('"resolved"');
    expect(text.length).toBeLessThan(600_000);
  });
});
