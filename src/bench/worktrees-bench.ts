import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseToolConfig } from '../agent/index.ts';
import { createSandbox } from '../sandbox/index.ts';
import { createGit, openLocalHub, SetupSettings, setupSandboxConfig } from '../workspace/index.ts';
import {
  type ArmContext,
  measureOwnSetupArm,
  measureReadyArm,
  removeArm,
  runTests,
} from './worktrees-arms.ts';
import {
  judgeTargets,
  mean,
  percentile,
  readyDisk,
  round,
  secondsSpread,
  type WorktreeTargetResults,
} from './worktrees-figures.ts';
import {
  benchNpmCache,
  configuredRegistry,
  createFixtureRepo,
  lockPackageCount,
  prepareNpmCache,
} from './worktrees-project.ts';

/** The setup the bench runs without `--setup`: an install from the cache the bench filled, no network. */
export const defaultWorktreesSetup = 'npm ci --offline --no-audit --no-fund --ignore-scripts';

/** Options of `cadre bench worktrees`. */
export interface WorktreesBenchOptions {
  /** A git repository whose HEAD is benchmarked; default a scratch repository of the fixture project. */
  repo?: string;
  /** The setup command line; default `defaultWorktreesSetup`. */
  setup?: string;
  /** Run in every ready worktree, in the sandbox; default `npm test`. */
  test?: string;
  count: number;
  /** Worktrees made at once after the first, in both arms. */
  concurrency: number;
  share: SetupSettings['share'];
  signal: AbortSignal;
  /** Progress lines for people (stderr); never part of the JSON. */
  progress?: (line: string) => void;
}

/** The JSON `cadre bench worktrees` prints; times in seconds, disk in bytes as du counts them. */
export interface WorktreesBenchResult {
  repo: string;
  count: number;
  concurrency: number;
  /** How the template's files reached the worktrees (`auto` resolved). */
  share: string;
  setup_command: string;
  test_command: string;
  /** Packages in the lock file at HEAD (null: no package-lock.json). */
  packages: number | null;
  node_version: string;
  npm_cache: string | null;
  /** Filling the npm cache from the registry, before and outside every measured window. */
  cache_prepare_s: number | null;
  ready: {
    first_s: number;
    first_create_s: number;
    template_setup_s: number;
    next_p50_s: number;
    next_p99_s: number;
    next_create_p50_s: number;
    next_create_p99_s: number;
    next_link_p50_s: number;
    template_hits: number;
    wall_s: number;
    disk_template_bytes: number;
    disk_first_bytes: number;
    disk_next_p50_bytes: number;
    disk_next_mean_bytes: number;
    disk_ratio: number;
    tests_run: number;
    tests_passed: number;
    test_failure: string | null;
  };
  own_setup: {
    first_s: number;
    p50_s: number;
    p99_s: number;
    create_p50_s: number;
    wall_s: number;
    disk_p50_bytes: number;
    disk_mean_bytes: number;
  };
  /** Own setup's p50 over the ready arm's next p50. */
  speedup_p50: number;
  targets: WorktreeTargetResults;
}

/**
 * Readies `count` worktrees from one template (the first builds it) and, in the same run, makes
 * `count` plain worktrees that each run the setup themselves; measures time, disk and the tests.
 */
export async function runWorktreesBench(options: WorktreesBenchOptions): Promise<WorktreesBenchResult> {
  // dozens of git calls and sandboxed commands listen on one signal
  const signal = AbortSignal.any([options.signal]);
  setMaxListeners(0, signal);
  const progress = options.progress ?? (() => {});
  const git = createGit();
  const directory = await mkdtemp(join(tmpdir(), 'cadre-bench-worktrees-'));
  const fixture = options.repo === undefined ? createFixtureRepo() : null;
  const repo = options.repo ?? fixture!.userRepo;
  const setupCommand = options.setup ?? defaultWorktreesSetup;
  const testCommand = options.test ?? 'npm test';
  try {
    const packages = await lockPackageCount(git, repo, signal);
    let cachePrepareS: number | null = null;
    if (packages !== null) {
      progress(`filling the npm cache ${benchNpmCache} with ${packages} packages (not measured)`);
      cachePrepareS = round(
        await prepareNpmCache({
          git,
          repo,
          scratch: join(directory, 'cache-scratch'),
          cache: benchNpmCache,
          signal,
        }),
      );
    }
    // the setup sees the filled cache, and the registry its entries are keyed by, only for an npm project
    const npm =
      packages === null
        ? {}
        : {
            environment: {
              npm_config_cache: benchNpmCache,
              npm_config_registry: await configuredRegistry(signal),
              npm_config_update_notifier: 'false',
            },
            caches: [{ path: benchNpmCache, setup: 'writable' as const, agents: 'read-only' as const }],
          };
    const settings = SetupSettings.parse({ commands: [setupCommand], share: options.share, ...npm });
    const shell = parseToolConfig().shell;
    const sandbox = createSandbox();
    const status = await sandbox.status(setupSandboxConfig(settings, shell), signal);
    if (status.type === 'refused') throw new Error(`the sandbox refuses to run the setup: ${status.reason}`);
    const hub = await openLocalHub({ userRepo: repo, path: join(directory, 'hub.git'), git, signal });
    const context: ArmContext = {
      hub,
      git,
      settings,
      sandbox,
      shell,
      directory,
      count: options.count,
      concurrency: options.concurrency,
      signal,
      progress,
    };

    const ready = await measureReadyArm(context);
    const tests = await runTests(
      context,
      ready.samples.map((sample) => sample.worktree),
      testCommand,
    );
    await removeArm(context, 'ready');
    const own = await measureOwnSetupArm(context);
    await removeArm(context, 'own-setup');

    const [first, ...next] = ready.samples;
    const firstReport = ready.reports[0]!;
    const nextReady = secondsSpread(next.map((sample) => sample.readyMs));
    const nextCreate = secondsSpread(next.map((sample) => sample.createMs));
    const links = ready.reports.slice(1).map((report) => ('linkMs' in report ? report.linkMs : 0));
    const disk = readyDisk(ready.unique);
    const ownReady = secondsSpread(own.samples.map((sample) => sample.readyMs));
    const ownDisk = [...own.unique].sort((a, b) => a - b);
    return {
      repo: fixture ? 'fixture ready-project' : repo,
      count: options.count,
      concurrency: options.concurrency,
      share: 'share' in firstReport ? firstReport.share : 'none',
      setup_command: setupCommand,
      test_command: testCommand,
      packages,
      node_version: process.version,
      npm_cache: packages === null ? null : benchNpmCache,
      cache_prepare_s: cachePrepareS,
      ready: {
        first_s: round(first!.readyMs / 1000),
        first_create_s: round(first!.createMs / 1000),
        template_setup_s: round((firstReport.type === 'template-built' ? firstReport.setupMs : 0) / 1000),
        next_p50_s: nextReady.p50,
        next_p99_s: nextReady.p99,
        next_create_p50_s: nextCreate.p50,
        next_create_p99_s: nextCreate.p99,
        next_link_p50_s: secondsSpread(links).p50,
        template_hits: ready.reports.filter((report) => report.type === 'template-hit').length,
        wall_s: round(ready.wallMs / 1000),
        disk_template_bytes: disk.templateBytes,
        disk_first_bytes: disk.firstBytes,
        disk_next_p50_bytes: disk.nextP50Bytes,
        disk_next_mean_bytes: disk.nextMeanBytes,
        disk_ratio: disk.ratio,
        tests_run: tests.run,
        tests_passed: tests.passed,
        test_failure: tests.firstFailure,
      },
      own_setup: {
        first_s: round(own.samples[0]!.readyMs / 1000),
        p50_s: ownReady.p50,
        p99_s: ownReady.p99,
        create_p50_s: secondsSpread(own.samples.map((sample) => sample.createMs)).p50,
        wall_s: round(own.wallMs / 1000),
        disk_p50_bytes: percentile(ownDisk, 0.5),
        disk_mean_bytes: Math.round(mean(ownDisk)),
      },
      speedup_p50: nextReady.p50 === 0 ? 0 : round(ownReady.p50 / nextReady.p50, 1),
      targets: judgeTargets({
        nextP50Seconds: nextReady.p50,
        diskRatio: disk.ratio,
        testsRun: tests.run,
        testsPassed: tests.passed,
      }),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
    fixture?.cleanup();
  }
}
