import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Git, gitText } from '../workspace/index.ts';
import { createTempRepo, type TempRepo } from '../workspace/testing/temp-repo.ts';

const run = promisify(execFile);

/** The project `cadre bench worktrees` uses without `--repo`: jest, express and lodash, 300+ packages. */
export const readyProjectFixture = fileURLToPath(new URL('./__fixtures__/ready-project', import.meta.url));

/**
 * Where the bench keeps the npm cache it fills from the registry: a stable temp path, kept between
 * runs so the next run fills it from disk instead of the network.
 */
export const benchNpmCache = join(tmpdir(), 'cadre-bench-worktrees-npm-cache');

/** A scratch git repository holding the fixture project in one commit; `cleanup` removes it. */
export function createFixtureRepo(): TempRepo {
  const files: Record<string, string> = {};
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else files[relative(readyProjectFixture, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(readyProjectFixture);
  // npm never packs a .gitignore: an installed cadre's fixture has none, and node_modules must not be committed
  files['.gitignore'] ??= 'node_modules/\n';
  return createTempRepo(files);
}

/** Packages in the npm lock file at the repository's HEAD (null without one): the size of what setup installs. */
export async function lockPackageCount(git: Git, repo: string, signal: AbortSignal): Promise<number | null> {
  const shown = await git(['show', 'HEAD:package-lock.json'], { cwd: repo, signal, acceptExitCodes: [128] });
  if (shown.exitCode !== 0) return null;
  const lock = JSON.parse(shown.stdout) as { packages?: Record<string, unknown> };
  // the "" entry is the project itself
  return lock.packages ? Object.keys(lock.packages).length - 1 : null;
}

/** The npm registry npm is configured with on this machine, read at run time (never written down). */
export async function configuredRegistry(signal: AbortSignal): Promise<string> {
  const { stdout } = await run('npm', ['config', 'get', 'registry'], { signal });
  return stdout.trim();
}

/** Options of prepareNpmCache. */
export interface PrepareNpmCacheOptions {
  git: Git;
  /** Repository whose HEAD's lock file says what to download. */
  repo: string;
  /** A directory to install in once; removed afterwards. */
  scratch: string;
  cache: string;
  signal: AbortSignal;
}

/**
 * Fills `cache` with every package of the repository's lock file: one `npm ci` with the network, on
 * the host, in a scratch clone. Packages already in the cache are taken from it (`--prefer-offline`).
 * Returns the seconds it took; the bench reports them apart from everything it measures.
 */
export async function prepareNpmCache(options: PrepareNpmCacheOptions): Promise<number> {
  const { git, signal } = options;
  const started = performance.now();
  await mkdir(options.cache, { recursive: true });
  try {
    await gitText(git, ['clone', '--quiet', '--shared', '--no-tags', options.repo, options.scratch], {
      cwd: tmpdir(),
      signal,
    });
    await run(
      'npm',
      [
        'ci',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--cache',
        options.cache,
        '--loglevel=error',
      ],
      {
        cwd: options.scratch,
        signal,
        maxBuffer: 16 << 20,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(
        `could not fill the npm cache ${options.cache}: ${error.stderr?.trim() || error.message}`,
      );
    });
  } finally {
    await rm(options.scratch, { recursive: true, force: true });
  }
  return (performance.now() - started) / 1000;
}

/** `du -s --block-size=1` over all paths in one pass (a hard-linked file counts under its first path only). */
export async function runDu(paths: readonly string[], signal: AbortSignal): Promise<string> {
  const { stdout } = await run('du', ['-s', '--block-size=1', ...paths], { signal, maxBuffer: 16 << 20 });
  return stdout;
}
