import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenCounter, parseToolConfig } from '../agent/index.ts';
import { auditLeases, listAllTasks, openSqliteBoard, readAllEvents } from '../board/index.ts';
import { createConfiguredRouter, createSimPolicyRegistry, parseModelsConfig } from '../llm/index.ts';
import {
  createFleetState,
  type FleetDependencies,
  parseCadreConfig,
  runFleet,
} from '../orchestrator/index.ts';
import { createIdGenerator } from '../protocol/index.ts';
import { createFleetSimPolicies, loadPrompt } from '../roles/index.ts';
import { createReadOnlyTools, createWorkspaceTools } from '../tools/index.ts';
import { createGit } from '../workspace/index.ts';
import { createScratchWorkspace } from './scratch-workspace.ts';
import { cpuBetween, sampleCpu } from './thread-cpu.ts';

/** Options of `cadre bench fleet`. */
export interface FleetBenchOptions {
  /** Agent slots in all: planners plus workers. */
  agents: number;
  /** Fixed simulated latency of every model call. */
  latencyMs: number;
  /** Work tasks per worker slot, on average. */
  tasksPerWorker: number;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

/** The JSON `cadre bench fleet` prints. */
export interface FleetBenchResult {
  agents: number;
  planners: number;
  workers: number;
  latency_ms: number;
  tasks_done: number;
  steps: number;
  wall_s: number;
  busy_agent_s: number;
  efficiency: number;
  /** CPU of the main thread (orchestrator, agent loops, board, sim model, tools' JavaScript) per model call. */
  event_loop_cpu_ms_per_step: number;
  /** CPU of every thread per model call: adds V8's helper threads and libuv's file I/O pool; what capacity is planned on. */
  process_cpu_ms_per_step: number;
  /** Where `event_loop_cpu_ms_per_step` comes from: the main thread's own counter, or the whole process where threads cannot be told apart. */
  cpu_source: 'main-thread' | 'process';
  peak_rss_mb: number;
  /** Tasks leased to two owners at once, from the replayed lease log (the board's own audit). */
  double_claims: number;
  /** Tasks completed more than once, from the same audit. */
  completed_twice: number;
  lost: number;
  /** How the agents ended, by role and end reason. */
  end_reasons: Record<string, number>;
}

/**
 * Runs the hierarchical fleet on the sim model with a fixed latency per model call, on a real
 * SQLite board and a workspace without git, and measures how busy the agents were: the share of
 * agent-seconds spent in model calls and tools rather than waiting for work or for the orchestrator.
 */
export async function runFleetBench(options: FleetBenchOptions): Promise<FleetBenchResult> {
  const planners = Math.max(1, Math.ceil(options.agents / 50));
  const workers = Math.max(1, options.agents - planners);
  const tasks = workers * options.tasksPerWorker;
  const tasksPerPlanner = Math.ceil(tasks / planners);
  const directory = await mkdtemp(join(tmpdir(), 'cadre-bench-fleet-'));
  // top-level areas: the root planner sees them at once and hands one to each sub-planner
  const layout = Array.from({ length: planners }, (_, area) => `area-${area}`);
  const board = openSqliteBoard({ path: join(directory, 'board.db') });
  const workspace = await createScratchWorkspace(board, join(directory, 'worktrees'), layout);
  const config = parseCadreConfig(
    {
      models: {
        roles: { planner: ['sim:planner'], worker: ['sim:worker'], judge: ['sim:judge'] },
        sim: { latency: { type: 'fixed', ms: options.latencyMs } },
      },
      fleet: {
        planners,
        workers,
        cycles: 1,
        maxPlannerDepth: 1,
        maxSubplanners: planners,
        maxTasksPerPlanner: Math.max(tasksPerPlanner, 1),
        leaseTtlMs: Math.max(60_000, options.latencyMs * 50),
      },
    },
    'the fleet benchmark',
  );
  const run = await board.createRun({ goal: 'cadre bench fleet: simulated work', config });
  const ids = createIdGenerator();
  const models = parseModelsConfig(config.models);
  const router = createConfiguredRouter({
    config: models,
    env: {},
    simPolicies: createSimPolicyRegistry(
      createFleetSimPolicies({
        tasksPerPlanner,
        subplannersPerPlanner: planners,
        sharedIndex: false,
        batchSize: Math.max(1, Math.ceil(workers / planners)),
        keepOpen: workers + planners,
      }),
    ),
  });
  const [plannerPrompt, workerPrompt, judgePrompt] = await Promise.all(
    (['planner', 'worker', 'judge'] as const).map((role) => loadPrompt(role)),
  );
  const deps: FleetDependencies = {
    board,
    hub: workspace.hub,
    git: createGit(),
    worktrees: workspace.worktrees,
    lander: workspace.lander,
    models: { modelFor: (role) => router.modelFor(role), describe: (role) => `sim:${role}`, costOf: () => 0 },
    prompts: { planner: plannerPrompt!, worker: workerPrompt!, judge: judgePrompt! },
    toolConfig: parseToolConfig({}),
    sharedTools: { read: createReadOnlyTools(), workspace: createWorkspaceTools() },
    tokenCounter: createTokenCounter(),
    config: config.fleet,
    clock: Date.now,
    newAgentId: () => ids('agent'),
    inboxPollIntervalMs: 1000,
  };
  const state = createFleetState();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const cpuBefore = sampleCpu();
  const started = performance.now();
  const progress = setInterval(() => {
    options.progress?.(`${state.active.size} agents busy, ${state.agentsStarted} started`);
  }, 2000);
  try {
    const summary = await runFleet({ deps, runId: run.id, signal: options.signal, state });
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu = cpuBetween(cpuBefore, sampleCpu());
    const agents = await board.listAgents({ runId: run.id, limit: 100_000 });
    const steps = agents.reduce(
      (sum, agent) => sum + Number((agent.usage as { steps?: number }).steps ?? 0),
      0,
    );
    const audit = await auditLeases(board, run.id, options.signal);
    const work = await listAllTasks(board, { runId: run.id, kind: 'work' });
    const ended = await readAllEvents(board, { runId: run.id, types: ['agent.agent-ended'] });
    const roleOf = new Map(agents.map((agent) => [agent.id, agent.role]));
    const endReasons: Record<string, number> = {};
    for (const event of ended) {
      const reason = event.type === 'agent.agent-ended' ? event.payload.reason.type : 'unknown';
      const key = `${roleOf.get(event.agentId ?? '') ?? 'agent'}:${reason}`;
      endReasons[key] = (endReasons[key] ?? 0) + 1;
    }
    return {
      agents: planners + workers,
      planners,
      workers,
      latency_ms: options.latencyMs,
      tasks_done: summary.tasks.done,
      steps,
      wall_s: Number(wallSeconds.toFixed(2)),
      busy_agent_s: Number((state.busyMs / 1000).toFixed(1)),
      efficiency: Number((state.busyMs / 1000 / ((planners + workers) * wallSeconds)).toFixed(3)),
      // where threads cannot be told apart, the whole process stands in: never an undercount
      event_loop_cpu_ms_per_step: Number(
        ((cpu.mainThreadMs ?? cpu.processMs) / Math.max(1, steps)).toFixed(3),
      ),
      process_cpu_ms_per_step: Number((cpu.processMs / Math.max(1, steps)).toFixed(3)),
      cpu_source: cpu.mainThreadMs === null ? 'process' : 'main-thread',
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      double_claims: audit.doubleClaims,
      completed_twice: audit.completedMoreThanOnce,
      lost: work.filter((task) => task.status !== 'done').length,
      end_reasons: endReasons,
    };
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
    await board.close();
    await workspace.cleanup();
    await rm(directory, { recursive: true, force: true });
  }
}
