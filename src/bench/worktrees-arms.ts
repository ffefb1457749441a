import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sandbox, SandboxConfig } from '../sandbox/index.ts';
import {
  createReadyWorktrees,
  createWorktreeManager,
  type Git,
  type Hub,
  type ReadyReport,
  runSetup,
  type SetupSettings,
  setupSandboxConfig,
  type Worktree,
} from '../workspace/index.ts';
import { mapWithLimit, parseDuOutput, type WorktreeTiming } from './worktrees-figures.ts';
import { runDu } from './worktrees-project.ts';

/** What both arms of `cadre bench worktrees` share: the hub, the setup, the sandbox and the pace. */
export interface ArmContext {
  hub: Hub;
  git: Git;
  settings: SetupSettings;
  sandbox: Sandbox;
  /** The shell's sandbox settings: setup adds its own to them, tests run with them as they are. */
  shell: SandboxConfig;
  /** Directory the arm's worktrees go under (the arm's own subdirectory is made in it). */
  directory: string;
  count: number;
  concurrency: number;
  signal: AbortSignal;
  progress: (line: string) => void;
}

/** One worktree of an arm and how long it took. */
export interface ArmSample extends WorktreeTiming {
  worktree: Worktree;
}

/** The ready arm's measurements: worktrees readied from one template. */
export interface ReadyArm {
  samples: ArmSample[];
  reports: ReadyReport[];
  wallMs: number;
  /** The template's directory (`<root>/.ready/<key>`). */
  template: string;
  /** du's unique bytes of [template, worktree 1, …, worktree N]. */
  unique: number[];
}

/** The own-setup arm's measurements: every worktree running the setup itself. */
export interface OwnSetupArm {
  samples: ArmSample[];
  wallMs: number;
  /** du's bytes of each worktree. */
  unique: number[];
}

/** Makes `count` worktrees: the first alone, the others `concurrency` at a time. */
async function createAll(context: ArmContext, create: (index: number) => Promise<ArmSample>) {
  const started = performance.now();
  const first = await create(0);
  context.progress(`  first worktree ready in ${(first.createMs / 1000).toFixed(1)} s`);
  const indexes = Array.from({ length: context.count - 1 }, (_, index) => index + 1);
  const rest = await mapWithLimit(indexes, context.concurrency, async (index) => {
    const sample = await create(index);
    if (index % 5 === 0 || index === context.count - 1)
      context.progress(
        `  worktree ${index + 1}/${context.count} ready in ${(sample.createMs / 1000).toFixed(1)} s`,
      );
    return sample;
  });
  return { samples: [first, ...rest], wallMs: performance.now() - started };
}

/** Arm A: a worktree manager with ready worktrees; the first worktree builds the template. */
export async function measureReadyArm(context: ArmContext): Promise<ReadyArm> {
  const { git, hub, settings, sandbox, shell, signal } = context;
  const root = join(context.directory, 'ready');
  const ready = createReadyWorktrees({ settings, root: join(root, '.ready'), sandbox, shell, git });
  const manager = createWorktreeManager({ hub, root, git, ready });
  const reports: ReadyReport[] = [];
  context.progress(`ready arm: ${context.count} worktrees through the ready template`);
  const { samples, wallMs } = await createAll(context, async (index) => {
    const started = performance.now();
    const worktree = await manager.create({ label: `ready-${index}`, signal });
    const createMs = performance.now() - started;
    if (!worktree.ready) throw new Error('the worktree manager did not ready the worktree');
    reports[index] = worktree.ready.report;
    return { worktree, createMs, readyMs: worktree.ready.readyMs };
  });
  const template = join(root, '.ready', samples[0]!.worktree.ready!.report.key);
  const paths = [template, ...samples.map((sample) => sample.worktree.path)];
  const unique = parseDuOutput(await runDu(paths, signal), paths);
  return { samples, reports, wallMs, template, unique };
}

/** Arm B: plain worktrees, each running the setup commands itself in the sandbox. */
export async function measureOwnSetupArm(context: ArmContext): Promise<OwnSetupArm> {
  const { git, hub, settings, sandbox, shell, signal } = context;
  const manager = createWorktreeManager({ hub, root: join(context.directory, 'own-setup'), git });
  const config = setupSandboxConfig(settings, shell);
  context.progress(`own-setup arm: ${context.count} worktrees each running the setup`);
  const { samples, wallMs } = await createAll(context, async (index) => {
    const started = performance.now();
    const worktree = await manager.create({ label: `own-${index}`, signal });
    const setup = await runSetup(settings, sandbox, config, worktree.realPath, signal);
    if (setup.type === 'failed')
      throw new Error(`the setup failed in ${worktree.path}: ${setup.reason}\n${setup.output}`);
    return { worktree, createMs: performance.now() - started, readyMs: setup.durationMs };
  });
  const paths = samples.map((sample) => sample.worktree.path);
  const unique = parseDuOutput(await runDu(paths, signal), paths);
  return { samples, wallMs, unique };
}

/** How the test command did across the ready worktrees. */
export interface TestRuns {
  run: number;
  passed: number;
  /** The end of the first failing run's output, or null when all passed. */
  firstFailure: string | null;
}

/** Runs `command` in the sandbox in every worktree, `concurrency` at a time, as an agent's check would. */
export async function runTests(
  context: ArmContext,
  worktrees: readonly Worktree[],
  command: string,
): Promise<TestRuns> {
  const { sandbox, signal } = context;
  const config: SandboxConfig = {
    ...context.shell,
    environment: { ...context.shell.environment, npm_config_update_notifier: 'false' },
  };
  context.progress(`running \`${command}\` in ${worktrees.length} ready worktrees`);
  const outcomes = await mapWithLimit(worktrees, context.concurrency, async (worktree) => {
    const run = await sandbox.run({
      command,
      worktreeRoot: worktree.realPath,
      workingDirectory: worktree.realPath,
      timeoutMilliseconds: 600_000,
      config,
      signal,
    });
    if (run.type === 'refused') return `refused by the sandbox: ${run.reason}`;
    const { end, output } = run.result;
    if (end.type === 'exited' && end.exitCode === 0) return null;
    return `${worktree.name}: ${JSON.stringify(end)}\n${output.slice(-2000)}`;
  });
  const failures = outcomes.filter((outcome): outcome is string => outcome !== null);
  return {
    run: worktrees.length,
    passed: worktrees.length - failures.length,
    firstFailure: failures[0] ?? null,
  };
}

/** Removes an arm's worktrees (and templates) once measured, so the next arm starts on a quiet disk. */
export async function removeArm(context: ArmContext, arm: 'ready' | 'own-setup'): Promise<void> {
  await rm(join(context.directory, arm), { recursive: true, force: true });
}
