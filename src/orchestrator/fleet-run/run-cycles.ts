import type { Cycle, RunStatus } from '../../protocol/index.ts';
import type { Verdict } from '../../roles/index.ts';
import { runCycleWork } from '../cycle-work.ts';
import { cancelLeftovers, judgeCycle } from '../judge-cycle.ts';
import { noWorkFiled } from '../run-end.ts';
import type { FleetRun } from './fleet-run-state.ts';

/** Where a drive of the run starts: the run had ended already, or the cycle to resume (null: a new one). */
export type CycleStart =
  | { type: 'ended'; reason: string }
  | { type: 'resume'; cycle: Cycle | null; previousVerdict: Verdict | null };

/** How one cycle ended: the next one starts with the judge's verdict, or the run ends. */
type CycleEnd = { type: 'next'; verdict: Verdict } | { type: 'end'; status: RunStatus; reason: string };

/** Reads where the board says the run is, so the same drive resumes a run whose process died. */
export async function findStart(fleet: FleetRun): Promise<CycleStart> {
  const cycles = await fleet.deps.board.listCycles(fleet.run.id);
  const last = cycles.at(-1) ?? null;
  if (!last || (last.status !== 'done' && last.status !== 'failed'))
    return { type: 'resume', cycle: last, previousVerdict: null };
  if (!last.verdict?.continue || last.n >= fleet.deps.config.cycles)
    return { type: 'ended', reason: `the run had already ended after cycle ${last.n}` };
  return { type: 'resume', cycle: null, previousVerdict: last.verdict };
}

/** Runs cycle after cycle until one ends the run; sets the run's status and the reason. */
export async function runCycles(
  fleet: FleetRun,
  start: Extract<CycleStart, { type: 'resume' }>,
): Promise<void> {
  fleet.currentCycle = start.cycle;
  let previousVerdict = start.previousVerdict;
  for (;;) {
    const { cycle, base } = await openCycle(fleet);
    const end = await runCycle(fleet, cycle, base, previousVerdict);
    if (end.type === 'end') {
      fleet.status = end.status;
      fleet.reason = end.reason;
      return;
    }
    previousVerdict = end.verdict;
    fleet.currentCycle = null;
    fleet.run = await fleet.deps.board.getRun(fleet.run.id);
  }
}

/** The cycle to run and its base commit: the one being resumed, or a new one from the hub's tip. */
async function openCycle(fleet: FleetRun): Promise<{ cycle: Cycle; base: string }> {
  const { deps, controller } = fleet;
  const { signal } = controller;
  const resumed = fleet.currentCycle;
  // cycles of boards before schema version 3 have no base commit: the hub's tip stands in
  if (resumed) return { cycle: resumed, base: resumed.baseCommit ?? (await deps.hub.tip(signal)) };
  await deps.hub.refresh(signal);
  const base = await deps.hub.tip(signal);
  const cycle = await deps.board.createCycle({ runId: fleet.run.id, baseCommit: base });
  fleet.currentCycle = cycle;
  deps.log?.(`cycle ${cycle.n} started`);
  return { cycle, base };
}

/** One cycle: planning and work until drained (unless it was done already), then the judge. */
async function runCycle(
  fleet: FleetRun,
  cycle: Cycle,
  base: string,
  previousVerdict: Verdict | null,
): Promise<CycleEnd> {
  const { deps, state, run, controller } = fleet;
  const { signal } = controller;
  const outcome =
    cycle.status === 'running'
      ? await runCycleWork({ deps, state, run, cycle, previousVerdict, signal })
      : 'drained';
  if (outcome === 'stopped' || signal.aborted) return stopped(fleet);
  if (outcome === 'budget') {
    await cancelLeftovers(deps, run, cycle);
    await deps.board.updateCycle({ cycleId: cycle.id, status: 'failed' });
    return { type: 'end', status: 'stopped', reason: `budget of $${deps.config.budgetUsd} spent` };
  }
  await cancelLeftovers(deps, run, cycle);
  // a first cycle without work has nothing to judge: the run did nothing, and says so
  const nothingFiled = cycle.n === 1 ? await noWorkFiled(deps, run, cycle) : null;
  if (nothingFiled) {
    await deps.board.updateCycle({ cycleId: cycle.id, status: 'failed' });
    return { type: 'end', status: 'failed', reason: nothingFiled };
  }
  return judge(fleet, cycle, base);
}

/** Asks the judge for its verdict on the cycle: the run goes on, or ends by the verdict or the cycle limit. */
async function judge(fleet: FleetRun, cycle: Cycle, baseCommit: string): Promise<CycleEnd> {
  const { deps, state, run, controller } = fleet;
  const judged = await judgeCycle({ deps, state, run, cycle, baseCommit, signal: controller.signal });
  if (controller.signal.aborted) return stopped(fleet);
  if (judged.type === 'no-verdict') {
    const reason = `the judge gave no verdict on cycle ${cycle.n} in ${judged.attempts} attempt(s): ${judged.reason}`;
    return { type: 'end', status: 'failed', reason };
  }
  const { verdict } = judged;
  deps.log?.(`cycle ${cycle.n} judged: ${verdict.continue ? 'continue' : 'stop'} (score ${verdict.score})`);
  if (!verdict.continue)
    return { type: 'end', status: 'done', reason: `the judge ended the run after cycle ${cycle.n}` };
  if (cycle.n >= deps.config.cycles)
    return { type: 'end', status: 'done', reason: `cycle limit (${deps.config.cycles}) reached` };
  return { type: 'next', verdict };
}

/** The run was stopped: by the caller, the inbox, or its cycle's own stop. */
function stopped(fleet: FleetRun): CycleEnd {
  return { type: 'end', status: 'stopped', reason: fleet.stopReason() || 'stopped' };
}
