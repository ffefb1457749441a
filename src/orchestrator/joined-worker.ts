import { setMaxListeners } from 'node:events';
import type { TaskBoard } from '../board/index.ts';
import { createIdGenerator, type Run, type RunStatus } from '../protocol/index.ts';
import { runAgentJob, type SetupOutcome } from './agent-runner.ts';
import { wakeOnBoardChanges } from './board-wake.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import { createFleetInbox, type FleetInbox } from './fleet-inbox.ts';
import { createFleetState } from './fleet-state.ts';
import { createRoleSession, readCycleContext } from './role-sessions.ts';
import { createSetupTracker } from './setup-pause.ts';
import { runSlotLoop, type SlotClaim } from './slot-loop.ts';

/** Options of runJoinedWorker. */
export interface JoinedWorkerOptions {
  /** The shared board, used to find live runs and follow changes. */
  board: TaskBoard;
  /** Which agents this process runs: planners take `plan` tasks, workers take `work` tasks. */
  roles: readonly ('planner' | 'worker')[];
  /** Agents at once, across every run served. */
  maxAgents: number;
  /** Serve only this run. */
  runId?: string;
  /** Keep waiting for new runs after the served ones end, instead of exiting. */
  stay: boolean;
  /** Assembles the fleet of one run (its hub cache and worktrees on this machine, its models). */
  openRun: (run: Run, signal: AbortSignal) => Promise<FleetDependencies>;
  /** Releases what openRun opened, once the process stops serving the run. */
  closeRun?: (deps: FleetDependencies) => Promise<void>;
  /** Stops the worker: running agents are stopped and their leases released. */
  signal: AbortSignal;
  /** How often to look for new runs when no board event says so (default 1000 ms). */
  discoveryIntervalMs?: number;
  log?: (line: string) => void;
}

/** What a joined worker did before it stopped. */
export interface JoinedWorkerSummary {
  runs: string[];
  agentsStarted: number;
  completed: number;
  /** Tasks whose lease was lost (expired while partitioned, or cancelled) and were dropped. */
  leasesLost: number;
  failed: number;
}

interface ServedRun {
  run: Run;
  deps: FleetDependencies;
  inbox: FleetInbox;
  /** Aborted when the run ends or the worker stops: its agents stop and release their tasks. */
  controller: AbortController;
  agents: number;
  ended: boolean;
  left: boolean;
  /** Counts this worker's failing setups of the run: in a row, they pause it. */
  onSetup: (outcome: SetupOutcome) => void;
}

const liveStatuses: readonly RunStatus[] = ['running', 'paused'];

/**
 * `cadre worker`: joins live runs on a shared board from any machine. Up to `maxAgents` slots claim
 * plan or work tasks of the runs served and run one fresh agent per task (the same slot loop and
 * agent runner as the run's own process), in worktrees cloned from each run's hub. Waits on the
 * board's events when there is no work yet; returns when the served runs end (unless `stay`) or the
 * signal aborts.
 */
export async function runJoinedWorker(options: JoinedWorkerOptions): Promise<JoinedWorkerSummary> {
  const { board, signal } = options;
  const state = createFleetState();
  const served = new Map<string, ServedRun>();
  const summary: JoinedWorkerSummary = { runs: [], agentsStarted: 0, completed: 0, leasesLost: 0, failed: 0 };
  const kinds = options.roles.map((role) => (role === 'planner' ? 'plan' : 'work'));
  const stopped = new AbortController();
  setMaxListeners(options.maxAgents + 10, stopped.signal);
  const stop = () => stopped.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  let finished = false;
  let wake: Promise<void> | null = null;
  let rotation = 0;
  const unjoinable = new Set<string>();

  const leave = async (entry: ServedRun) => {
    entry.ended = true;
    entry.controller.abort(new Error(`run ${entry.run.id} ended`));
    if (entry.agents > 0 || entry.left) return;
    entry.left = true;
    served.delete(entry.run.id);
    entry.inbox.close();
    await options.closeRun?.(entry.deps).catch(() => {});
    options.log?.(`left run ${entry.run.id}`);
  };

  const discover = async () => {
    const runs = options.runId
      ? [await board.getRun(options.runId)]
      : await board.listRuns({ limit: 100, signal: stopped.signal });
    for (const run of runs) {
      const live = liveStatuses.includes(run.status);
      const entry = served.get(run.id);
      // the fresh row: a paused run is still served, but its tasks are not claimed
      if (entry) entry.run = run;
      if (entry && !live && !entry.ended) await leave(entry);
      if (entry || !live || stopped.signal.aborted || unjoinable.has(run.id)) continue;
      let deps: FleetDependencies;
      try {
        deps = await options.openRun(run, stopped.signal);
      } catch (error) {
        if (stopped.signal.aborted) return;
        // a run this machine cannot serve (a local hub, a missing API key) is reported once, then skipped
        unjoinable.add(run.id);
        options.log?.(`cannot join run ${run.id}: ${(error as Error).message}`);
        continue;
      }
      const controller = new AbortController();
      setMaxListeners(options.maxAgents + 10, controller.signal);
      stopped.signal.addEventListener('abort', () => controller.abort(stopped.signal.reason), { once: true });
      const inbox = createFleetInbox(deps.board, run.id, deps.inboxPollIntervalMs ?? 250);
      served.set(run.id, {
        run,
        deps,
        inbox,
        controller,
        agents: 0,
        ended: false,
        left: false,
        onSetup: createSetupTracker(deps, state, run.id),
      });
      summary.runs.push(run.id);
      options.log?.(`joined run ${run.id}`);
      const joined = await board.appendEvent({
        runId: run.id,
        type: 'worker.joined',
        payload: deps.placement ?? {},
      });
      // one follower for every run: new runs, new tasks and ended cycles all wake the slots
      wake ??= wakeOnBoardChanges({
        board,
        afterSeq: joined.seq,
        wake: () => state.kick(),
        signal: stopped.signal,
      });
    }
    for (const entry of served.values()) if (entry.ended) await leave(entry);
    const everServed = summary.runs.length > 0;
    const given = options.runId !== undefined && (everServed || unjoinable.has(options.runId));
    if (!options.stay && (given || everServed) && served.size === 0) finished = true;
  };

  const claim = async (agentId: string, claimSignal: AbortSignal): Promise<SlotClaim | null> => {
    const candidates = [...served.values()].filter((entry) => !entry.ended && entry.run.status !== 'paused');
    for (let index = 0; index < candidates.length; index++) {
      const entry = candidates[(rotation + index) % candidates.length] as ServedRun;
      const lease = await entry.deps.board.claim(
        { owner: agentId, ttlMs: entry.deps.config.leaseTtlMs, filter: { runId: entry.run.id, kinds } },
        { signal: claimSignal },
      );
      if (!lease) continue;
      rotation++;
      return { lease, role: lease.task.kind === 'plan' ? 'planner' : 'worker' };
    }
    return null;
  };

  const work = async ({ lease, role }: SlotClaim, agentId: string) => {
    const entry = served.get(lease.runId);
    if (!entry) return;
    const { deps } = entry;
    entry.agents++;
    state.active.set(agentId, role);
    state.agentsStarted++;
    summary.agentsStarted++;
    try {
      const { task } = lease;
      const cycle = await readCycleContext(deps, task);
      const outcome = await runAgentJob(deps, {
        role,
        task,
        lease,
        agentId,
        // the parent agent ran in another process; the board's task tree still links them
        parentAgentId: null,
        signal: entry.controller.signal,
        inbox: entry.inbox,
        onSetup: entry.onSetup,
        session: (worktree) =>
          createRoleSession({
            deps,
            run: entry.run,
            cycle,
            role,
            task,
            agentId,
            worktreePath: worktree.path,
            onFiled: () => state.kick(),
          }),
      });
      switch (outcome.settlement.type) {
        case 'complete':
          summary.completed++;
          break;
        case 'lease-lost':
          summary.leasesLost++;
          options.log?.(`agent ${agentId} lost the lease of ${task.id}; its work was dropped`);
          break;
        case 'fail':
          summary.failed++;
          break;
      }
    } catch (error) {
      summary.failed++;
      options.log?.(`agent ${agentId} failed: ${(error as Error).message}`);
    } finally {
      state.active.delete(agentId);
      entry.agents--;
      if (entry.ended && entry.agents === 0) await leave(entry);
      state.kick();
    }
  };

  const discovery = async () => {
    while (!finished && !stopped.signal.aborted) {
      try {
        await discover();
      } catch (error) {
        if (stopped.signal.aborted) break;
        options.log?.(`could not look for runs: ${(error as Error).message}`);
      }
      if (finished) break;
      await state.nextKick(options.discoveryIntervalMs ?? 1000, stopped.signal);
    }
    // wakes the slots so they see the end
    state.kick();
  };

  const ids = createIdGenerator();
  const newAgentId = () => ids('agent');

  try {
    await Promise.all([
      discovery(),
      ...Array.from({ length: options.maxAgents }, () =>
        runSlotLoop({
          state,
          newAgentId,
          signal: stopped.signal,
          isFinished: () => finished,
          claim,
          work,
          // nothing to claim: wait for a board event (or the discovery interval), not a tight poll
          idleWaitMs: 2000,
          ...(options.log ? { log: options.log } : {}),
        }),
      ),
    ]);
  } finally {
    stopped.abort(new Error('worker stopped'));
    signal.removeEventListener('abort', stop);
    await wake;
    for (const entry of [...served.values()]) {
      entry.ended = true;
      if (entry.agents === 0) await leave(entry);
    }
  }
  return summary;
}
