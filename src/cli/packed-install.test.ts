import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, finished } from './testing/run-cli.ts';

// The package as a user gets it: `npm pack`, then `npm install --omit=dev <tarball>` in an empty
// directory, then `npx cadre --help`, `npx cadre demo` and `npx cadre ui` from there. See
// docs/packaging.md. Slow (a real install from the npm registry); the timeouts are set per hook and test.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Set to 1 to compile better-sqlite3 from source (minutes) instead of using the local prebuild. */
const fromSource = process.env.CADRE_PACKED_INSTALL_FROM_SOURCE === '1';

/** The command's output, for assertion messages. */
function shown(command: string, result: CliResult): string {
  return `${command} exited with ${result.code ?? result.signal}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
}

let work: string;
/** The environment of a user's shell: none of the npm, vitest or node_modules/.bin settings this test runs under. */
let userEnv: NodeJS.ProcessEnv;
/** The empty project the tarball is installed into. */
let project: string;
let installed: string;
/** The scratch repository `cadre demo` made, for `cadre ui`. */
let demoRepo: string | undefined;

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliResult> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? userEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
  });
  return finished(child);
}

async function expectSuccess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliResult> {
  const result = await run(command, args, options);
  expect(result.code, shown(`${command} ${args.join(' ')}`, result)).toBe(0);
  return result;
}

function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TSX_)/i.test(name)) continue;
    env[name] = value;
  }
  // `npm test` puts every node_modules/.bin above the repository on PATH; a user's shell has none.
  // npm and npx are the ones next to this node.
  env.PATH = [
    dirname(process.execPath),
    ...(env.PATH ?? '').split(delimiter).filter((entry) => !entry.split(sep).includes('node_modules')),
  ].join(delimiter);
  // the demo's scratch repository and tsx's compile cache land in the test's folder
  env.TMPDIR = join(work, 'tmp');
  return env;
}

/**
 * A copy of the working tree to pack: `npm pack` runs the prepack script, which builds the dashboard
 * into dist/web, and the checkout's own dist/web is in use by other tests. The copy is what the
 * checkout would pack (every file, tracked or not) minus node_modules, which is linked for the build.
 */
function copyWorkingTree(destination: string) {
  const skipped = new Set(['.git', 'dist', '.cadre', 'test-output']);
  cpSync(repoRoot, destination, {
    recursive: true,
    filter: (source) => {
      const parts = relative(repoRoot, source).split(sep);
      return !skipped.has(parts[0] as string) && !parts.includes('node_modules');
    },
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(destination, 'node_modules'), 'dir');
}

/**
 * better-sqlite3's install script (`prebuild-install || node-gyp rebuild`) downloads a prebuilt binary
 * from GitHub, else compiles for minutes. prebuild-install first looks for the same file in the folder
 * named by npm_config_better_sqlite3_local_prebuilds: this makes that file from the binary the
 * checkout already built for this Node, in prebuild-install's naming and layout. Null where that
 * does not apply (no binary, not glibc Linux); the install then downloads or compiles as usual.
 */
async function localBetterSqlitePrebuild(directory: string): Promise<string | null> {
  const moduleRoot = join(repoRoot, 'node_modules', 'better-sqlite3');
  const binary = join('build', 'Release', 'better_sqlite3.node');
  const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
    ?.glibcVersionRuntime;
  if (process.platform !== 'linux' || !glibc || !existsSync(join(moduleRoot, binary))) return null;
  const { version } = JSON.parse(readFileSync(join(moduleRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  mkdirSync(directory, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-linux-${process.arch}.tar.gz`;
  await expectSuccess('tar', ['-czf', join(directory, name), binary], { cwd: moduleRoot, timeoutMs: 60_000 });
  return directory;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cadre-packed-'));
  mkdirSync(join(work, 'tmp'));
  userEnv = cleanEnvironment();

  const source = join(work, 'source');
  copyWorkingTree(source);
  await expectSuccess('npm', ['pack', '--pack-destination', work], { cwd: source, timeoutMs: 5 * 60_000 });
  const tarballs = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  expect(tarballs).toHaveLength(1);

  project = join(work, 'empty');
  mkdirSync(project);
  await expectSuccess('npm', ['init', '-y'], { cwd: project, timeoutMs: 60_000 });
  const prebuilds = fromSource ? null : await localBetterSqlitePrebuild(join(work, 'prebuilds'));
  const installEnv = prebuilds
    ? { ...userEnv, npm_config_better_sqlite3_local_prebuilds: prebuilds }
    : userEnv;
  // --prefer-offline: packages already in npm's cache (`npm ci` filled it) are not fetched again
  await expectSuccess(
    'npm',
    [
      'install',
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(work, tarballs[0] as string),
    ],
    { cwd: project, env: installEnv, timeoutMs: 25 * 60_000 },
  );
  installed = join(project, 'node_modules', 'cadre');
}, 30 * 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed with --omit=dev in an empty directory', () => {
  it('ships the built dashboard and no web sources, tests or dev dependencies', () => {
    expect(existsSync(join(installed, 'dist', 'web', 'index.html'))).toBe(true);
    expect(existsSync(join(installed, 'web'))).toBe(false);
    expect(existsSync(join(installed, 'src', 'cli', 'main.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src', 'cli', 'packed-install.test.ts'))).toBe(false);
    expect(existsSync(join(installed, 'prompts', 'worker.md'))).toBe(true);
    for (const devOnly of [
      'vite',
      '@vitejs/plugin-react',
      'vitest',
      'react',
      'playwright-core',
      '@biomejs/biome',
    ])
      expect(existsSync(join(project, 'node_modules', devOnly)), devOnly).toBe(false);
  });

  it(
    'npx cadre --help lists the commands',
    async () => {
      const result = await expectSuccess('npx', ['cadre', '--help'], { cwd: project, timeoutMs: 2 * 60_000 });
      for (const command of ['init', 'run', 'demo', 'ui', 'eval', 'bench'])
        expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    },
    3 * 60_000,
  );

  it(
    'npx cadre demo runs the simulated fleet to the end and reports it',
    async () => {
      const result = await expectSuccess('npx', ['cadre', 'demo'], { cwd: project, timeoutMs: 8 * 60_000 });
      expect(result.stdout).toMatch(/^run \S+: done/m);
      expect(result.stdout).toMatch(/tasks: [1-9]\d* done, 0 failed/);
      expect(result.stdout).toMatch(/result: branch cadre\//);
      demoRepo = /scratch repository: (\S+)/.exec(result.stderr)?.[1];
      expect(demoRepo).toBeDefined();
    },
    10 * 60_000,
  );

  it(
    "npx cadre ui serves the built dashboard and the demo run's API over loopback",
    async () => {
      expect(demoRepo, 'the demo test made the repository to look at').toBeDefined();
      // its own process group: Ctrl-C at a terminal signals npx and cadre together, and so does stop()
      const child = spawn('npx', ['cadre', 'ui', '--repo', demoRepo as string, '--port', '0'], {
        cwd: project,
        env: userEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const exited = finished(child);
      const stop = (signal: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          // already gone
        }
      };
      try {
        let output = '';
        child.stdout.on('data', (chunk) => {
          output += String(chunk);
        });
        await expect
          .poll(() => output, { timeout: 2 * 60_000, interval: 200 })
          .toMatch(/cadre dashboard: http:\/\/\S+#token=\S+/);
        const address = new URL(/cadre dashboard: (\S+)/.exec(output)?.[1] as string);
        expect(address.hostname).toBe('127.0.0.1');
        const token = address.hash.replace('#token=', '');

        const page = await fetch(`${address.origin}/`);
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('<div id="root"></div>');
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        expect(script).toBeDefined();
        expect(existsSync(join(installed, 'dist', 'web', script as string))).toBe(true);
        const asset = await fetch(`${address.origin}${script}`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('content-type')).toMatch(/javascript/);

        const runs = await fetch(`${address.origin}/api/runs`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(runs.status).toBe(200);
        const body = (await runs.json()) as { items: { goal: string }[] };
        expect(body.items.map((item) => item.goal)).toEqual([expect.stringContaining('simulated demo')]);

        // Ctrl-C: npx ends by the signal, as it does at a terminal; cadre stops its server and exits,
        // so nothing of the group is left and the port is closed
        stop('SIGINT');
        const result = await exited;
        expect(result.code === 0 || result.signal === 'SIGINT', shown('npx cadre ui', result)).toBe(true);
        const groupAlive = () => {
          try {
            process.kill(-(child.pid as number), 0);
            return true;
          } catch {
            return false;
          }
        };
        await expect.poll(groupAlive, { timeout: 30_000, interval: 200 }).toBe(false);
        await expect(fetch(`${address.origin}/`)).rejects.toThrow();
      } finally {
        stop('SIGKILL');
      }
    },
    4 * 60_000,
  );
});
