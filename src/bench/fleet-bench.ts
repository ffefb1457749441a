import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
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
import { startProcessProbes } from './fleet-bench-probes.ts';
import { type FleetBenchResult, reportFleetBench } from './fleet-bench-report.ts';
import { createWorkLedger, pollingToolNames } from './fleet-bench-work.ts';
import { createScratchWorkspace } from './scratch-workspace.ts';

export type { FleetBenchResult } from './fleet-bench-report.ts';

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

const AgentSteps = z.object({ steps: z.number() });

/** Task steps an agent's stored usage records (0 for an agent that never stored any). */
function stepsOf(usage: unknown): number {
  const parsed = AgentSteps.safeParse(usage);
  return parsed.success ? parsed.data.steps : 0;
}

/** How a call is told to be work, printed in the settings. */
const workRule = `a model call is work unless its turn only calls ${[...pollingToolNames].join(', ')} (polling the board); work counts the latency the simulation drew, not the wall time around the call, and 0 ms per tool call (the scratch workspace's tools do no real work, so no tool time is invented)`;

/**
 * Runs the hierarchical fleet on the sim model with a fixed latency per model call, on a real
 * SQLite board and a workspace without git, and measures how much of the agents' time was work:
 * the nominal latency the simulation drew for calls that did something (tools are instant here),
 * over agents × wall time. Waiting on the event loop or the board is lag, printed apart.
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
  const ledger = createWorkLedger();
  const policies = createFleetSimPolicies({
    tasksPerPlanner,
    subplannersPerPlanner: planners,
    sharedIndex: false,
    batchSize: Math.max(1, Math.ceil(workers / planners)),
    keepOpen: workers + planners,
  });
  const router = createConfiguredRouter({
    config: models,
    env: {},
    simPolicies: createSimPolicyRegistry(policies.map((policy) => ledger.observe(policy))),
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
  const probes = startProcessProbes();
  const progress = setInterval(() => {
    const calls = ledger.total();
    options.progress?.(
      `${state.active.size} agents running, ${state.agentsStarted} started, ${calls.calls} model calls`,
    );
  }, 2000);
  try {
    await runFleet({ deps, runId: run.id, signal: options.signal, state });
    const figures = probes.stop();
    clearInterval(progress);
    const agents = await board.listAgents({ runId: run.id, limit: 100_000 });
    const steps = agents.reduce((sum, agent) => sum + stepsOf(agent.usage), 0);
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
    return reportFleetBench({
      settings: {
        agents: planners + workers,
        planners,
        workers,
        tasks_per_worker: options.tasksPerWorker,
        latency: models.sim.latency,
        budgets: config.fleet.budgets,
        lease_ttl_ms: config.fleet.leaseTtlMs,
        work_rule: workRule,
      },
      process: figures,
      nominal: ledger.total(),
      byPolicy: ledger.byPolicy,
      measuredBusyMs: state.busyMs,
      tasksDone: work.filter((task) => task.status === 'done').length,
      steps,
      audit,
      lost: work.filter((task) => task.status !== 'done').length,
      endReasons,
    });
  } finally {
    probes.stop();
    clearInterval(progress);
    await board.close();
    await workspace.cleanup();
    await rm(directory, { recursive: true, force: true });
  }
}
