import { setMaxListeners } from 'node:events';
import { createIdGenerator, type Run } from '../../protocol/index.ts';
import type { MergeQueue } from '../../workspace/index.ts';
import type { SetupOutcome } from '../agent-runner.ts';
import type { FleetDependencies } from '../fleet-dependencies.ts';
import type { FleetInbox } from '../fleet-inbox.ts';
import { createFleetState, type FleetState } from '../fleet-state.ts';
import type { JoinedWorkerOptions, JoinedWorkerSummary } from './joined-worker-types.ts';

/** One run this worker serves. */
export interface ServedRun {
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
  /** This machine's part in the run's merge queue (it takes the queue over when the owner dies). */
  mergeQueue: MergeQueue | null;
}

/** Everything a joined worker knows: its options, the runs it serves, and its counters. */
export interface JoinedWorker {
  readonly options: JoinedWorkerOptions;
  readonly state: FleetState;
  readonly served: Map<string, ServedRun>;
  readonly summary: JoinedWorkerSummary;
  /** The task kinds its roles take. */
  readonly kinds: ('plan' | 'work')[];
  /** Aborted when the worker stops, by its caller or because it is finished. */
  readonly stopped: AbortController;
  /** The listener on the caller's signal, removed when the worker stops. */
  readonly stop: () => void;
  /** Runs this machine cannot serve: reported once, then skipped. */
  readonly unjoinable: Set<string>;
  readonly newAgentId: () => string;
  /** True once the served runs ended and the worker does not stay. */
  finished: boolean;
  /** The one board follower, started with the first run joined. */
  wake: Promise<void> | null;
  /** Where the next claim starts among the served runs, so each gets its turn. */
  rotation: number;
}

/** A worker serving nothing yet, linked to its caller's stop. */
export function createJoinedWorker(options: JoinedWorkerOptions): JoinedWorker {
  const stopped = new AbortController();
  // every idle slot waits on this signal: that many listeners is the design, not a leak
  setMaxListeners(options.maxAgents + 10, stopped.signal);
  const stop = () => stopped.abort(options.signal.reason);
  options.signal.addEventListener('abort', stop, { once: true });
  const ids = createIdGenerator();
  return {
    options,
    state: createFleetState(),
    served: new Map(),
    summary: { runs: [], agentsStarted: 0, completed: 0, leasesLost: 0, failed: 0 },
    kinds: options.roles.map((role) => (role === 'planner' ? 'plan' : 'work')),
    stopped,
    stop,
    unjoinable: new Set(),
    newAgentId: () => ids('agent'),
    finished: false,
    wake: null,
    rotation: 0,
  };
}

/** Ends serving a run: its agents are stopped, and once none is left the run's fleet is closed. */
export async function leaveRun(worker: JoinedWorker, entry: ServedRun): Promise<void> {
  entry.ended = true;
  entry.controller.abort(new Error(`run ${entry.run.id} ended`));
  if (entry.agents > 0 || entry.left) return;
  entry.left = true;
  worker.served.delete(entry.run.id);
  entry.inbox.close();
  await entry.mergeQueue?.stop();
  await worker.options.closeRun?.(entry.deps).catch(() => {});
  worker.options.log?.(`left run ${entry.run.id}`);
}

/** Stops the worker: its follower ends, and every run without running agents is left. */
export async function stopJoinedWorker(worker: JoinedWorker): Promise<void> {
  worker.stopped.abort(new Error('worker stopped'));
  worker.options.signal.removeEventListener('abort', worker.stop);
  await worker.wake;
  for (const entry of [...worker.served.values()]) {
    entry.ended = true;
    if (entry.agents === 0) await leaveRun(worker, entry);
  }
}
