import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { createTokenCounter, type ToolConfig } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import {
  costOf,
  createConfiguredRouter,
  createPriceTable,
  createSimPolicyRegistry,
  parseModelsConfig,
  routerEventType,
  type SimPolicy,
} from '../llm/index.ts';
import { catalogEvent, createIdGenerator } from '../protocol/index.ts';
import { loadPrompt } from '../roles/index.ts';
import {
  createSandbox,
  type Sandbox,
  type SandboxStatus,
  type SandboxStatusEvent,
  sandboxStatusEventType,
} from '../sandbox/index.ts';
import { createReadOnlyTools, createWorkspaceTools } from '../tools/index.ts';
import {
  createBoardLandingEventSink,
  createChecksConfig,
  createGit,
  createLander,
  createQueueLander,
  createReadyWorktrees,
  createWorktreeManager,
  describeReadyReport,
  type Hub,
  openLocalHub,
  openRemoteHub,
  resolveLandingMode,
  type SetupSettings,
  startMergeQueue,
} from '../workspace/index.ts';
import { type AgentPlacement, createAgentPlacement } from './agent-placement.ts';
import type { CadreConfig } from './cadre-config.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import { prepareFleetEngines } from './fleet-engines.ts';

/** What a fleet is assembled from. */
export interface CreateFleetDependenciesOptions {
  /** The user's repository. */
  repo: string;
  board: TaskBoard;
  config: CadreConfig;
  /** The run whose log receives model routing events. */
  runId: string;
  env: NodeJS.ProcessEnv;
  /** Extra sim policies (the fleet's planner, worker and judge simulations). */
  simPolicies?: readonly SimPolicy[];
  signal: AbortSignal;
  log?: (line: string) => void;
  clock?: () => number;
  /** Which process runs the agents (default: a fresh orchestrator placement). */
  placement?: AgentPlacement;
  /** The sandbox agents' commands and the checks run in (checked by the caller); a fresh one when absent. */
  sandbox?: Sandbox;
  /** Where a joined worker keeps the remote hub's cache and its worktrees, instead of under `<repo>/.cadre`. */
  localPaths?: { hubCache: string; worktrees: string };
}

/**
 * Assembles a fleet from its config: the hub and worktrees under `<repo>/.cadre`, the lander, the
 * model router, prompts (project overrides first) and the tool sandbox. Explicit, no globals: the
 * CLI and the tests call this with what they have.
 */
export async function createFleetDependencies(
  options: CreateFleetDependenciesOptions,
): Promise<FleetDependencies> {
  const { config, board, signal } = options;
  const repo = resolve(options.repo);
  const clock = options.clock ?? Date.now;
  const ids = createIdGenerator(clock);
  const git = createGit();
  const workspace = config.workspace;
  const hub: Hub =
    workspace.hub.type === 'local'
      ? await openLocalHub({
          userRepo: repo,
          git,
          signal,
          seed: workspace.hub.seed,
          branch: workspace.branch,
          ...(workspace.hub.path ? { path: resolve(repo, workspace.hub.path) } : {}),
        })
      : await openRemoteHub({
          url: workspace.hub.url,
          cachePath:
            options.localPaths?.hubCache ??
            resolve(repo, workspace.hub.cachePath ?? join('.cadre', 'hub-cache.git')),
          git,
          signal,
          branch: workspace.branch,
        });
  const worktreeRoot =
    options.localPaths?.worktrees ?? resolve(repo, workspace.worktreeRoot ?? join('.cadre', 'worktrees'));
  const sandbox = options.sandbox ?? createSandbox();
  const toolConfig = withSetupCaches(config.tools, workspace.setup);
  const ready = workspace.setup
    ? createReadyWorktrees({
        settings: workspace.setup,
        root: join(worktreeRoot, '.ready'),
        sandbox,
        shell: toolConfig.shell,
        git,
        clock,
      })
    : undefined;
  const worktrees = createWorktreeManager({
    hub,
    root: worktreeRoot,
    git,
    keepOnFailure: workspace.keepFailedWorktrees,
    ...(ready ? { ready } : {}),
    clock,
  });
  await recordSandboxStatus(board, options.runId, await sandbox.status(toolConfig.shell, signal));
  const prepareChecks = ready
    ? async (worktreePath: string, checksSignal: AbortSignal) => {
        const report = await ready.refresh(worktreePath, checksSignal);
        return report ? [describeReadyReport(report)] : [];
      }
    : undefined;
  const checks = workspace.landing.checks
    ? createChecksConfig(workspace.landing.checks, toolConfig.shell, sandbox, prepareChecks)
    : undefined;
  const { landing } = workspace;
  const landerOptions = {
    hub,
    board,
    git,
    maxAttempts: landing.maxAttempts,
    backoff: { initialMs: landing.backoffInitialMs, maxMs: landing.backoffMaxMs },
    onEvent: createBoardLandingEventSink({ board }),
    clock,
  };
  const queued = resolveLandingMode(landing.mode, checks !== undefined) === 'queue' && checks;
  const lander = queued
    ? createQueueLander({ ...landerOptions, queue: landing.queue })
    : createLander({
        ...landerOptions,
        concurrentAttempts: landing.concurrentAttempts,
        ...(checks ? { checks } : {}),
      });
  const mergeQueue = queued
    ? (runId: string) =>
        startMergeQueue({
          runId,
          board,
          hub,
          git,
          worktrees,
          checks: queued,
          settings: landing.queue,
          owner: `${hostname()}:${process.pid}`,
          ...(options.log ? { log: options.log } : {}),
        })
    : undefined;
  const modelsConfig = parseModelsConfig(config.models);
  const router = createConfiguredRouter({
    config: modelsConfig,
    env: options.env,
    simPolicies: createSimPolicyRegistry(options.simPolicies ?? []),
    onEvent: (event) => {
      void board
        .appendEvent({ runId: options.runId, ...catalogEvent(routerEventType(event), event) })
        .catch(() => {});
    },
  });
  const engines = await prepareFleetEngines(
    modelsConfig,
    options.env,
    join(worktreeRoot, '.engines'),
    signal,
  );
  const prices = createPriceTable(modelsConfig.pricing);
  const [planner, worker, judge] = await Promise.all(
    (['planner', 'worker', 'judge'] as const).map((role) =>
      loadPrompt(role, { projectDirectory: repo, signal }),
    ),
  );
  return {
    board,
    hub,
    git,
    worktrees,
    ...(ready ? { ready, maxSetupFailures: workspace.setup?.maxConsecutiveFailures ?? 3 } : {}),
    lander,
    ...(mergeQueue ? { mergeQueue } : {}),
    models: {
      modelFor: (role) => router.modelFor(role),
      describe: (role) => router.chainFor(role)?.[0] ?? `router:${role}`,
      servesRole: (role) => router.chainFor(role) !== undefined,
      costOf: (modelId, usage) => costOf(prices, modelId, usage),
      limitsFor: (role) => router.roleLimitsFor(role),
    },
    ...(engines ? { engines } : {}),
    prompts: { planner: planner!, worker: worker!, judge: judge! },
    toolConfig,
    sandbox,
    ...(checks ? { checks } : {}),
    sharedTools: { read: createReadOnlyTools(), workspace: createWorkspaceTools({ sandbox }) },
    tokenCounter: createTokenCounter(),
    config: config.fleet,
    clock,
    newAgentId: () => ids('agent'),
    placement: options.placement ?? createAgentPlacement('orchestrator'),
    ...(options.log ? { log: options.log } : {}),
  };
}

/**
 * Puts on the run's log how this process isolates agents' commands, so `cadre status` and the
 * dashboard can say loudly when a run (or one joined machine of it) is unsandboxed.
 */
async function recordSandboxStatus(board: TaskBoard, runId: string, status: SandboxStatus): Promise<void> {
  const payload: SandboxStatusEvent = { host: hostname(), pid: process.pid, status };
  await board.appendEvent({ runId, type: sandboxStatusEventType, payload });
}

/** The shell's settings with the setup's shared caches mounted as agents may see them. */
function withSetupCaches(tools: ToolConfig, setup: SetupSettings | undefined): ToolConfig {
  if (!setup || setup.caches.length === 0) return tools;
  const readOnly = setup.caches.filter((cache) => cache.agents === 'read-only').map((cache) => cache.path);
  const writable = setup.caches.filter((cache) => cache.agents === 'writable').map((cache) => cache.path);
  const { shell } = tools;
  return {
    ...tools,
    shell: {
      ...shell,
      extraReadOnlyPaths: [...shell.extraReadOnlyPaths, ...readOnly],
      extraWritablePaths: [...shell.extraWritablePaths, ...writable],
    },
  };
}
