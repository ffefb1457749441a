import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the package keeps the web app's sources and its build. A development checkout has both; the
 * published package ships only the build (`npm pack` builds it, see docs/packaging.md).
 */
export interface DashboardPaths {
  webRoot: string;
  outDir: string;
}

/** The paths inside this package: `web/` and `dist/web/`. */
export function dashboardPaths(): DashboardPaths {
  const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
  return { webRoot: join(packageRoot, 'web'), outDir: join(packageRoot, 'dist', 'web') };
}

/** Options of buildDashboard. */
export interface BuildDashboardOptions {
  paths?: DashboardPaths;
  signal?: AbortSignal;
}

function newestModification(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Whether the web app's sources are here to build from: a development checkout. The installed package
 * has no `web/` (and no Vite); it serves the build it was packed with.
 */
export function hasDashboardSources(paths: DashboardPaths = dashboardPaths()): boolean {
  return existsSync(join(paths.webRoot, 'vite.config.ts'));
}

/** Whether a development checkout's build is missing or older than a file of `web/`; never without the sources. */
export function dashboardNeedsBuild(paths: DashboardPaths = dashboardPaths()): boolean {
  if (!hasDashboardSources(paths)) return false;
  const built = join(paths.outDir, 'index.html');
  if (!existsSync(built)) return true;
  return newestModification(paths.webRoot) > statSync(built).mtimeMs;
}

/**
 * Builds `web/` into `dist/web/` with Vite's JS API. Builds into a fresh folder and renames it into
 * place, so a server (or a second build) never sees a half-written build. Vite is a development
 * dependency and is loaded only here, only in a development checkout.
 */
export async function buildDashboard(options: BuildDashboardOptions = {}): Promise<string> {
  const paths = options.paths ?? dashboardPaths();
  options.signal?.throwIfAborted();
  const staging = `${paths.outDir}-${process.pid}-${Date.now().toString(36)}`;
  const { build } = await import('vite');
  try {
    await build({
      root: paths.webRoot,
      configFile: join(paths.webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    options.signal?.throwIfAborted();
    rmSync(paths.outDir, { recursive: true, force: true });
    try {
      renameSync(staging, paths.outDir);
    } catch (error) {
      // another process put its build in place between our remove and rename; theirs is as good
      if (!existsSync(join(paths.outDir, 'index.html'))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return paths.outDir;
}

/**
 * The built web app's folder. A development checkout builds it first when it is missing or out of
 * date; an installed package serves the build it shipped with, and fails plainly if it has none.
 */
export async function ensureDashboardBuilt(options: BuildDashboardOptions = {}): Promise<string> {
  const paths = options.paths ?? dashboardPaths();
  if (dashboardNeedsBuild(paths)) await buildDashboard({ ...options, paths });
  if (!existsSync(join(paths.outDir, 'index.html')))
    throw new Error(
      `the dashboard's web app is missing from ${paths.outDir} and its sources are not here to build it; ` +
        'the package was packed without it (`npm pack` builds it in its prepack script; --ignore-scripts skips that)',
    );
  return paths.outDir;
}
