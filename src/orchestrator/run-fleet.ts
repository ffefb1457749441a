import type { Cycle, Run, RunStatus, TaskStatus } from '../protocol/index.ts';
import type { Verdict } from '../roles/index.ts';
import { wakeOnBoardChanges } from './board-wake.ts';
import { type CycleWorkOutcome, runCycleWork } from './cycle-work.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import { createFleetInbox } from './fleet-inbox.ts';
import { createFleetState, type FleetState } from './fleet-state.ts';
import { cancelLeftovers, judgeCycle } from './judge-cycle.ts';
import { recoverRun } from './recover-run.ts';
import { noModelAnswered, noWorkFiled, runNotes } from './run-end.ts';
import { watchRunInbox } from './run-inbox.ts';
import { setRunStatus } from './run-status.ts';

/** A moment of a run, for the terminal's progress line and `cadre status`. */
export interface FleetProgress {
  cycle: number;
  agents: { planner: number; worker: number; judge: number };
  tasks: Record<TaskStatus, number>;
  agentsStarted: number;
  costUsd: number;
  paused: boolean;
}

/** How a run ended. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  reason: string;
  /** What else the reader should know: planners that ended early and why (their tasks still ran). */
  notes: string[];
  cycles: { n: number; status: string; verdict: Verdict | null }[];
  tasks: Record<TaskStatus, number>;
  agentsStarted: number;
  busyMs: number;
  costUsd: number;
  wallMs: number;
  /** Leases taken back from a dead orchestrator when the run resumed. */
  recoveredLeases: number;
}

/** Options of runFleet. */
export interface RunFleetOptions {
  deps: FleetDependencies;
  runId: string;
  signal: AbortSignal;
  onProgress?: (progress: FleetProgress) => void;
  progressIntervalMs?: number;
  /** Shared with a caller that wants the counters (the fleet benchmark). */
  state?: FleetState;
}

/**
 * On a shared (PostgreSQL) board, joined `cadre worker` processes claim and finish tasks: follow
 * the log so slots wake and cycles end when they do. The marker event gives the follow a start.
 */
async function followOtherProcesses(
  deps: FleetDependencies,
  runId: string,
  state: FleetState,
  signal: AbortSignal,
): Promise<void> {
  if (deps.board.backend !== 'postgres') return;
  const marker = await deps.board
    .appendEvent({ runId, type: 'orchestrator.started', payload: deps.placement ?? {} })
    .catch(() => null);
  await wakeOnBoardChanges({
    board: deps.board,
    runId,
    afterSeq: marker?.seq ?? 0,
    wake: () => state.kick(),
    signal,
  });
}

/**
 * Drives a run from the board: cycles of planning and work, each ended by the judge, until the
 * judge says stop, the cycle limit or the budget is reached, or a stop arrives. Starts where the
 * board says the run is, so the same call resumes a run whose process died.
 */
export async function runFleet(options: RunFleetOptions): Promise<RunSummary> {
  const { deps } = options;
  const { board, config } = deps;
  const started = deps.clock();
  const state = options.state ?? createFleetState();
  const controller = new AbortController();
  let stopReason = '';
  const stop = (reason: string) => {
    stopReason ||= reason;
    controller.abort(new Error(reason));
    state.kick();
  };
  const onOuterAbort = () => stop('interrupted');
  options.signal.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;
  let run: Run = await board.getRun(options.runId);
  const recoveredLeases = await recoverRun(deps, run, signal);
  if (run.status === 'paused') state.paused = true;
  if (run.status !== 'running' && run.status !== 'paused') await setRunStatus(deps.board, run.id, 'running');
  state.inbox = createFleetInbox(board, run.id, deps.inboxPollIntervalMs ?? 250);
  const reaper = setInterval(() => void board.reap().catch(() => {}), Math.max(500, config.leaseTtlMs / 2));
  const inbox = watchRunInbox({ deps, state, runId: run.id, stop, signal });
  const boardWake = followOtherProcesses(deps, run.id, state, signal);
  const progress = setInterval(async () => {
    if (!options.onProgress) return;
    const tasks = await board.countTasks(run.id).catch(() => null);
    if (!tasks) return;
    const roles = [...state.active.values()];
    options.onProgress({
      cycle: currentCycle?.n ?? 0,
      agents: {
        planner: roles.filter((role) => role === 'planner').length,
        worker: roles.filter((role) => role === 'worker').length,
        judge: roles.filter((role) => role === 'judge').length,
      },
      tasks,
      agentsStarted: state.agentsStarted,
      costUsd: state.costUsd,
      paused: state.paused,
    });
  }, options.progressIntervalMs ?? 1000);

  let currentCycle: Cycle | null = null;
  let status: RunStatus = 'done';
  let reason = '';
  try {
    const cycles = await board.listCycles(run.id);
    let previousVerdict: Verdict | null = null;
    let last = cycles.at(-1) ?? null;
    if (last && (last.status === 'done' || last.status === 'failed')) {
      previousVerdict = last.verdict;
      if (!previousVerdict?.continue || last.n >= config.cycles) {
        reason = `the run had already ended after cycle ${last.n}`;
        last = null;
        return await summarize();
      }
      last = null;
    }
    currentCycle = last;
    for (;;) {
      let base: string;
      if (currentCycle) {
        // cycles of boards before schema version 3 have no base commit: the hub's tip stands in
        base = currentCycle.baseCommit ?? (await deps.hub.tip(signal));
      } else {
        await deps.hub.refresh(signal);
        base = await deps.hub.tip(signal);
        currentCycle = await board.createCycle({ runId: run.id, baseCommit: base });
        deps.log?.(`cycle ${currentCycle.n} started`);
      }
      let outcome: CycleWorkOutcome = 'drained';
      if (currentCycle.status === 'running') {
        outcome = await runCycleWork({ deps, state, run, cycle: currentCycle, previousVerdict, signal });
      }
      if (outcome === 'stopped' || signal.aborted) {
        status = 'stopped';
        reason = stopReason || 'stopped';
        break;
      }
      if (outcome === 'budget') {
        status = 'stopped';
        reason = `budget of $${config.budgetUsd} spent`;
        await cancelLeftovers(deps, run, currentCycle);
        await board.updateCycle({ cycleId: currentCycle.id, status: 'failed' });
        break;
      }
      await cancelLeftovers(deps, run, currentCycle);
      // a first cycle without work has nothing to judge: the run did nothing, and says so
      const nothingFiled = currentCycle.n === 1 ? await noWorkFiled(deps, run, currentCycle) : null;
      if (nothingFiled) {
        status = 'failed';
        reason = nothingFiled;
        await board.updateCycle({ cycleId: currentCycle.id, status: 'failed' });
        break;
      }
      const judged = await judgeCycle({
        deps,
        state,
        run,
        cycle: currentCycle,
        baseCommit: base,
        signal,
      });
      if (signal.aborted) {
        status = 'stopped';
        reason = stopReason || 'stopped';
        break;
      }
      if (judged.type === 'no-verdict') {
        status = 'failed';
        reason = `the judge gave no verdict on cycle ${currentCycle.n} in ${judged.attempts} attempt(s): ${judged.reason}`;
        break;
      }
      const { verdict } = judged;
      deps.log?.(
        `cycle ${currentCycle.n} judged: ${verdict.continue ? 'continue' : 'stop'} (score ${verdict.score})`,
      );
      if (!verdict.continue) {
        reason = `the judge ended the run after cycle ${currentCycle.n}`;
        break;
      }
      if (currentCycle.n >= config.cycles) {
        reason = `cycle limit (${config.cycles}) reached`;
        break;
      }
      previousVerdict = verdict;
      currentCycle = null;
      run = await board.getRun(run.id);
    }
    // whatever else ended the run, a run in which no model ever answered did nothing
    const silent = status === 'stopped' ? null : await noModelAnswered(deps, run.id, state);
    if (silent) {
      status = 'failed';
      reason = silent;
    }
    return await summarize();
  } catch (error) {
    status = 'failed';
    reason = (error as Error).message;
    throw error;
  } finally {
    clearInterval(reaper);
    state.inbox?.close();
    state.inbox = null;
    clearInterval(progress);
    controller.abort(new Error('run ended'));
    await inbox;
    await boardWake;
    options.signal.removeEventListener('abort', onOuterAbort);
    await setRunStatus(deps.board, run.id, status).catch(() => {});
  }

  async function summarize(): Promise<RunSummary> {
    const cycles = await board.listCycles(run.id);
    const notes = await runNotes(deps, run.id);
    await board
      .appendEvent({ runId: run.id, type: 'orchestrator.run-ended', payload: { status, reason, notes } })
      .catch((error: unknown) => deps.log?.(`could not store the run's end: ${(error as Error).message}`));
    return {
      runId: run.id,
      status,
      reason,
      notes,
      cycles: cycles.map((cycle) => ({
        n: cycle.n,
        status: cycle.status,
        verdict: cycle.verdict,
      })),
      tasks: await board.countTasks(run.id),
      agentsStarted: state.agentsStarted,
      busyMs: state.busyMs,
      costUsd: state.costUsd,
      wallMs: deps.clock() - started,
      recoveredLeases,
    };
  }
}
