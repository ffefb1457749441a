import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DashboardPaths, dashboardNeedsBuild, ensureDashboardBuilt } from './build-dashboard.ts';

let root: string;
let paths: DashboardPaths;

function writeBuild(mtimeSeconds: number) {
  mkdirSync(paths.outDir, { recursive: true });
  writeFileSync(join(paths.outDir, 'index.html'), '<div id="root"></div>');
  utimesSync(join(paths.outDir, 'index.html'), mtimeSeconds, mtimeSeconds);
}

function writeSources(mtimeSeconds: number) {
  mkdirSync(join(paths.webRoot, 'src'), { recursive: true });
  for (const file of ['vite.config.ts', 'src/main.tsx']) {
    writeFileSync(join(paths.webRoot, file), '');
    utimesSync(join(paths.webRoot, file), mtimeSeconds, mtimeSeconds);
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cadre-dashboard-build-'));
  paths = { webRoot: join(root, 'web'), outDir: join(root, 'dist', 'web') };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the dashboard build of an installed package (no web sources)', () => {
  it('serves the build it shipped with, whatever its age, and never builds', async () => {
    writeBuild(499_162_500); // npm's tarballs carry 1985-10-26 as every file's time
    expect(dashboardNeedsBuild(paths)).toBe(false);
    await expect(ensureDashboardBuilt({ paths })).resolves.toBe(paths.outDir);
  });

  it('fails plainly when the package was packed without the build', async () => {
    await expect(ensureDashboardBuilt({ paths })).rejects.toThrow(/packed without it.*prepack/);
  });
});

describe('the dashboard build of a development checkout', () => {
  it('needs a build when there is none, or when a source file is newer than it', () => {
    writeSources(2_000_000_000);
    expect(dashboardNeedsBuild(paths)).toBe(true);
    writeBuild(2_000_000_100);
    expect(dashboardNeedsBuild(paths)).toBe(false);
    utimesSync(join(paths.webRoot, 'src/main.tsx'), 2_000_000_200, 2_000_000_200);
    expect(dashboardNeedsBuild(paths)).toBe(true);
  });
});
