import type { AgentResult } from '../../agent/index.ts';
import type { EngineRoute } from '../../engines/index.ts';
import type { TaskSettlement } from '../../roles/index.ts';
import type { Worktree } from '../../workspace/index.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import type { AgentJob } from './agent-job-types.ts';
import { keepLeaseAlive, type LeaseKeeper } from './lease-keeper.ts';

/**
 * Everything one agent job knows, in one place: what is fixed at its start (readonly) and what its
 * steps learn as it goes (the worktree, the agent's result, the settlement asked for and its fate).
 */
export interface JobState {
  readonly deps: FleetDependencies;
  readonly job: AgentJob;
  /** The task and fence every settlement of the job presents. */
  readonly fenced: { taskId: string; fence: number };
  /** Stops the agent: the run's stop, a lost lease or a failed registration abort it. */
  readonly controller: AbortController;
  /** The listener on the run's signal, removed when the job ends. */
  readonly stopWithRun: () => void;
  /** Event writes not stored yet; the job's closing waits for them. */
  readonly pendingEvents: Set<Promise<unknown>>;
  readonly lease: LeaseKeeper;
  /** The external program that runs this agent, or null for cadre's own loop; picked once, at the start. */
  readonly engine: EngineRoute | null;
  /** The agent's `agent.registered`; a failure stops the agent and its task goes back like a crash. */
  readonly registration: Promise<unknown>;
  worktree: Worktree | null;
  result: AgentResult | null;
  /** What the role asked for once the agent ended. */
  requested: TaskSettlement | null;
  /** Until the task is known done: decides the agent's final status and what happens to its worktree. */
  failed: boolean;
  /** A settlement queued but not awaited (the job was given `defer`); its closing awaits it. */
  deferredSettlement: Promise<boolean> | null;
}

/** Checks the job, links it to the run's stop, starts its heartbeat and registers its agent. */
export function startJob(deps: FleetDependencies, job: AgentJob): JobState {
  const { task, lease, agentId } = job;
  if (lease.taskId !== task.id)
    throw new Error(
      `agent ${agentId} was given task ${task.id} with the lease of task ${lease.taskId}: an agent settles exactly the task it leased, so claim that task itself`,
    );
  const controller = new AbortController();
  const stopWithRun = () => controller.abort(job.signal.reason);
  job.signal.addEventListener('abort', stopWithRun, { once: true });
  const fenced = { taskId: task.id, fence: lease.fence };
  // engines serve workers: planners and the judge need cadre's board tools, which engines cannot call
  const engine = job.role === 'worker' ? (deps.engines?.routeFor(job.role) ?? null) : null;
  return {
    deps,
    job,
    fenced,
    controller,
    stopWithRun,
    pendingEvents: new Set(),
    lease: keepLeaseAlive(deps.board, fenced, deps.config.leaseTtlMs, controller),
    engine,
    registration: registerAgent(deps, job, controller, engine),
    worktree: null,
    result: null,
    requested: null,
    failed: true,
    deferredSettlement: null,
  };
}

/**
 * Starts the agent's registration before anything else: the write queue is first-in first-out, so
 * `agent.registered` lands in the log before any event of the agent, and the agent need not wait for
 * the commit.
 */
function registerAgent(
  deps: FleetDependencies,
  job: AgentJob,
  controller: AbortController,
  engine: EngineRoute | null,
): Promise<unknown> {
  const { task } = job;
  const registration = deps.board.registerAgent({
    id: job.agentId,
    runId: task.runId,
    cycleId: task.cycleId,
    parentId: job.parentAgentId,
    role: job.role,
    model: engine?.ref.id ?? deps.models.describe(job.role),
    promptHash: deps.prompts[job.role].hash,
    taskId: task.id,
    status: 'running',
    placement: { ...(deps.placement ?? { process: 'orchestrator' }) },
  });
  registration.catch((error: unknown) => controller.abort(error));
  return registration;
}

/** Stops what ran beside the agent: its heartbeat, its inbox and the link to the run's stop. */
export function releaseJob(state: JobState): void {
  state.lease.stop();
  state.job.inbox?.forget(state.job.agentId);
  state.job.signal.removeEventListener('abort', state.stopWithRun);
}
