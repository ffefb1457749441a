import { setMaxListeners } from 'node:events';
import type { Run, RunStatus } from '../../protocol/index.ts';
import { wakeOnBoardChanges } from '../board-wake.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import { createFleetInbox } from '../fleet-inbox.ts';
import { createSetupTracker } from '../setup-pause.ts';
import { type JoinedWorker, leaveRun, type ServedRun } from './joined-worker-state.ts';

const liveStatuses: readonly RunStatus[] = ['running', 'paused'];

/** Looks for runs until the worker is finished or stopped: at each kick, or every discovery interval. */
export async function keepDiscovering(worker: JoinedWorker): Promise<void> {
  const { options, state, stopped } = worker;
  while (!worker.finished && !stopped.signal.aborted) {
    try {
      await discoverRuns(worker);
    } catch (error) {
      if (stopped.signal.aborted) break;
      options.log?.(`could not look for runs: ${(error as Error).message}`);
    }
    if (worker.finished) break;
    await state.nextKick(options.discoveryIntervalMs ?? 1000, stopped.signal);
  }
  // wakes the slots so they see the end
  state.kick();
}

/** Joins the live runs not served yet, leaves the served ones that ended, and says when all are done. */
async function discoverRuns(worker: JoinedWorker): Promise<void> {
  const { options, served } = worker;
  const runs = options.runId
    ? [await options.board.getRun(options.runId)]
    : await options.board.listRuns({ limit: 100, signal: worker.stopped.signal });
  for (const run of runs) {
    const entry = served.get(run.id);
    if (entry) {
      await refreshServed(worker, entry, run);
      continue;
    }
    if (!isJoinable(worker, run)) continue;
    if ((await joinRun(worker, run)) === 'stopped') return;
  }
  for (const entry of served.values()) if (entry.ended) await leaveRun(worker, entry);
  if (isFinished(worker)) worker.finished = true;
}

/** Takes the fresh row of a served run: a paused run is still served, but its tasks are not claimed. */
async function refreshServed(worker: JoinedWorker, entry: ServedRun, run: Run): Promise<void> {
  entry.run = run;
  if (!liveStatuses.includes(run.status) && !entry.ended) await leaveRun(worker, entry);
}

/** A live run the worker still may join. */
function isJoinable(worker: JoinedWorker, run: Run): boolean {
  return (
    liveStatuses.includes(run.status) && !worker.stopped.signal.aborted && !worker.unjoinable.has(run.id)
  );
}

/** Whether the worker has nothing left to serve: the runs it served (or the run it was given) ended. */
function isFinished(worker: JoinedWorker): boolean {
  const { options, summary } = worker;
  const everServed = summary.runs.length > 0;
  const given = options.runId !== undefined && (everServed || worker.unjoinable.has(options.runId));
  return !options.stay && (given || everServed) && worker.served.size === 0;
}

/** Opens the run's fleet on this machine and serves it; a run this machine cannot serve is skipped. */
async function joinRun(worker: JoinedWorker, run: Run): Promise<'joined' | 'unjoinable' | 'stopped'> {
  const { options, stopped } = worker;
  let deps: FleetDependencies;
  try {
    deps = await options.openRun(run, stopped.signal);
  } catch (error) {
    if (stopped.signal.aborted) return 'stopped';
    // a run this machine cannot serve (a local hub, a missing API key) is reported once, then skipped
    worker.unjoinable.add(run.id);
    options.log?.(`cannot join run ${run.id}: ${(error as Error).message}`);
    return 'unjoinable';
  }
  serveRun(worker, run, deps);
  await announceJoin(worker, run, deps);
  return 'joined';
}

/** Adds the run to the served ones, with its own stop and inbox. */
function serveRun(worker: JoinedWorker, run: Run, deps: FleetDependencies): void {
  const { options, stopped } = worker;
  const controller = new AbortController();
  setMaxListeners(options.maxAgents + 10, controller.signal);
  stopped.signal.addEventListener('abort', () => controller.abort(stopped.signal.reason), { once: true });
  const inbox = createFleetInbox(deps.board, run.id, deps.inboxPollIntervalMs ?? 250);
  worker.served.set(run.id, {
    run,
    deps,
    inbox,
    controller,
    agents: 0,
    ended: false,
    left: false,
    onSetup: createSetupTracker(deps, worker.state, run.id),
    mergeQueue: deps.mergeQueue?.(run.id) ?? null,
  });
  worker.summary.runs.push(run.id);
  options.log?.(`joined run ${run.id}`);
}

/** Says on the board that the worker joined, and follows the board from there (once, for every run). */
async function announceJoin(worker: JoinedWorker, run: Run, deps: FleetDependencies): Promise<void> {
  const { board } = worker.options;
  const joined = await board.appendEvent({
    runId: run.id,
    type: 'worker.joined',
    payload: deps.placement ?? {},
  });
  // one follower for every run: new runs, new tasks and ended cycles all wake the slots
  worker.wake ??= wakeOnBoardChanges({
    board,
    afterSeq: joined.seq,
    wake: () => worker.state.kick(),
    signal: worker.stopped.signal,
  });
}
