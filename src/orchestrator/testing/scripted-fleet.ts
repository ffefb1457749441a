import type { Model } from '../../llm/index.ts';
import type { Lease, Task } from '../../protocol/index.ts';
import { type AgentJobResult, runAgentJob } from '../agent-runner.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import { createRoleSession } from '../role-sessions.ts';
import { createSimFleet, type SimFleet, type SimFleetOptions } from './sim-fleet.ts';

/** The roles a test may hand a model of its own (a scripted one); the others keep their sim policy. */
export type ScriptedRoles = Partial<Record<'planner' | 'worker' | 'judge', Model>>;

/**
 * A fleet's dependencies with some roles run by the given models. Each model serves every agent of
 * its role, in the order they call it; a test's own models are unpriced.
 */
export function withModels(deps: FleetDependencies, models: ScriptedRoles): FleetDependencies {
  const base = deps.models;
  const pick = (role: string): Model | undefined =>
    role === 'planner' || role === 'worker' || role === 'judge' ? models[role] : undefined;
  const ids = new Set(Object.values(models).map((model) => model.id));
  return {
    ...deps,
    models: {
      modelFor: (role) => pick(role) ?? base.modelFor(role),
      describe: (role) => pick(role)?.id ?? base.describe(role),
      costOf: (modelId, usage) => (ids.has(modelId) ? null : base.costOf(modelId, usage)),
    },
  };
}

/**
 * The one shared test fleet (demo repository, real SQLite board, real hub and lander) with some
 * roles run by the given models, for tests of what the orchestrator does when a model fails,
 * stops or files nothing.
 */
export async function createScriptedFleet(
  options: SimFleetOptions & { models: ScriptedRoles },
): Promise<SimFleet> {
  const fleet = await createSimFleet(options);
  fleet.deps = withModels(fleet.deps, options.models);
  return fleet;
}

/** A work task filed and leased by a test, with the agent id that holds it. */
export interface ClaimedTask {
  task: Task;
  lease: Lease;
  agentId: string;
}

/** Files one work task and leases it (one at a time, so each claim takes the task just filed). */
export async function claimWorkTask(
  fleet: SimFleet,
  title: string,
  scope: string[] = [],
): Promise<ClaimedTask> {
  const { board } = fleet;
  await board.createTasks([
    { runId: fleet.runId, kind: 'work', title, spec: title, acceptance: 'it landed', scope },
  ]);
  const agentId = fleet.deps.newAgentId();
  const lease = await board.claim({ owner: agentId, ttlMs: 60_000, filter: { runId: fleet.runId } });
  if (!lease) throw new Error('nothing to claim');
  return { task: lease.task, lease, agentId };
}

/** Runs one worker agent with the given model on a claimed task, through the fleet's own runner. */
export async function runScriptedWorker(
  fleet: SimFleet,
  claimed: ClaimedTask,
  model: Model,
  signal: AbortSignal,
): Promise<AgentJobResult> {
  const deps = withModels(fleet.deps, { worker: model });
  const run = await fleet.board.getRun(fleet.runId);
  return runAgentJob(deps, {
    role: 'worker',
    ...claimed,
    parentAgentId: null,
    signal,
    session: (worktree) =>
      createRoleSession({
        deps,
        run,
        cycle: { n: 1, previousVerdict: null },
        role: 'worker',
        task: claimed.task,
        agentId: claimed.agentId,
        worktreePath: worktree.path,
        onFiled: () => {},
      }),
  });
}
