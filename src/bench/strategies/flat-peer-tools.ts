import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../../agent/index.ts';
import { VersionConflictError } from '../../board/index.ts';
import type { CatalogEventInput } from '../../protocol/index.ts';
import type { BoardLock, LockGrant } from './board-lock.ts';
import type { SharedTaskList, TaskEntry, TaskListSnapshot } from './shared-task-list.ts';
import { charge, createStepLedger, defer, type StepLedger, settle } from './step-ledger.ts';
import type { TaskLanding } from './task-landing.ts';

/** How a flat peer writes the list: blind under the lock, or with a version check. */
export type FlatMode = 'flat-lock' | 'flat-occ';

/** One peer's tallies, read by the strategy when the run ends. */
export interface FlatPeerStats {
  lockWaitMs: number;
  occConflicts: number;
  unlockedWrites: number;
  reacquires: number;
  /** Nominal time of the peer's tool-calling steps, by what they went to. */
  ledger: StepLedger;
}

/** What a peer's tools share. */
export interface FlatPeerToolsOptions {
  mode: FlatMode;
  /** The peer's number in the list (claimed by / done by). */
  agent: number;
  agentId: string;
  runId: string;
  list: SharedTaskList;
  /** Absent for flat-occ. */
  lock: BoardLock | null;
  landing: TaskLanding;
  /** How long do_work takes: the simulated work of one task. */
  workMs: number;
  /** The nominal latency of the model call that asks for each tool: what the ledger books per step. */
  stepMs: number;
  appendEvent: (event: CatalogEventInput) => Promise<void>;
}

const openShown = 5;

/** The list as a peer sees it: counts, the first few open tasks, and its own claims. */
export function describeTaskList(snapshot: TaskListSnapshot, agent: number): string {
  const counts = { open: 0, claimed: 0, done: 0 };
  const open: number[] = [];
  const mine: number[] = [];
  snapshot.entries.forEach((entry, index) => {
    counts[entry.type]++;
    if (entry.type === 'open' && open.length < openShown) open.push(index);
    if (entry.type === 'claimed' && entry.agent === agent) mine.push(index);
  });
  return [
    `version ${snapshot.version}; ${snapshot.entries.length} tasks: ${counts.open} open, ${counts.claimed} claimed, ${counts.done} done`,
    `open: ${open.join(' ')}`,
    `claimed by you: ${mine.join(' ')}`,
  ].join('\n');
}

const writeInput = z.object({
  complete: z.int().min(0).optional().describe('a task you finished: marked done'),
  claim: z.int().min(0).optional().describe('an open task you take: marked claimed by you'),
});

/**
 * The flat peer's tools: read_tasks, acquire_lock, write_tasks, release_lock (flat-lock only) and
 * do_work. write_tasks rewrites the whole list from the copy the peer last read, as a peer editing a
 * shared file would: under flat-lock it overwrites whatever is there (the lock is the only
 * protection, so a write without it can lose others' updates); under flat-occ it is refused when
 * the list moved on since the read.
 */
export function createFlatPeerTools(options: FlatPeerToolsOptions): { tools: Tool[]; stats: FlatPeerStats } {
  const { list, lock, agent } = options;
  const stats: FlatPeerStats = {
    lockWaitMs: 0,
    occConflicts: 0,
    unlockedWrites: 0,
    reacquires: 0,
    ledger: createStepLedger(),
  };
  const { ledger } = stats;
  const { stepMs } = options;
  let snapshot: TaskListSnapshot | null = null;
  let heldFence: number | null = null;

  const readTasks = defineTool({
    name: 'read_tasks',
    description: 'Read the shared task list: counts, the first open tasks, and the tasks you claimed.',
    inputSchema: z.object({}),
    async execute(_input, context) {
      const rereading = snapshot !== null;
      snapshot = await list.read(context.signal);
      // a re-read before writing (a dawdling holder) supersedes the read already pending
      if (rereading) charge(ledger, 'waste', stepMs);
      else defer(ledger, stepMs);
      return { output: describeTaskList(snapshot, agent), details: { version: snapshot.version } };
    },
  });

  const writeTasks = defineTool({
    name: 'write_tasks',
    description:
      'Rewrite the shared task list from the copy you last read, marking a task done and/or claiming an open one.',
    inputSchema: writeInput,
    async execute(input, context) {
      const read = snapshot;
      if (read === null) {
        charge(ledger, 'waste', stepMs);
        throw new ToolError('read_tasks first: you write back the copy you read');
      }
      snapshot = null;
      const entries: TaskEntry[] = [...read.entries];
      if (input.complete !== undefined) entries[input.complete] = { type: 'done', agent };
      if (input.claim !== undefined) {
        if (read.entries[input.claim]?.type !== 'open') {
          defer(ledger, stepMs);
          settle(ledger, 'waste');
          throw new ToolError(`task ${input.claim} is not open in the list you read`);
        }
        entries[input.claim] = { type: 'claimed', agent };
      }
      let version: number;
      if (options.mode === 'flat-occ') {
        try {
          version = await list.write(entries, read.version, context.signal);
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
          stats.occConflicts++;
          // the whole attempt (read, decide, write) changed nothing
          defer(ledger, stepMs);
          settle(ledger, 'waste');
          await options.appendEvent({
            type: 'coordination.occ-conflict',
            payload: { agent, read: read.version },
          });
          throw new ToolError('version conflict: the list changed since you read it; read_tasks again');
        }
      } else {
        const locked =
          heldFence !== null &&
          lock !== null &&
          (await lock.holds(options.agentId, heldFence, context.signal));
        if (!locked) {
          stats.unlockedWrites++;
          await options.appendEvent({
            type: 'coordination.unlocked-write',
            payload: { agent, read: read.version },
          });
        }
        version = await blindWrite(entries, context.signal);
      }
      defer(ledger, stepMs);
      settle(ledger, 'coordination');
      const claimed = input.claim === undefined ? 'nothing' : String(input.claim);
      return {
        output: `wrote version ${version}; claimed ${claimed}; completed ${input.complete ?? 'nothing'}`,
        details: { version, claim: input.claim ?? null, complete: input.complete ?? null },
      };
    },
  });

  // The lock, not the version, protects a flat-lock write: take whatever version is there now.
  async function blindWrite(entries: readonly TaskEntry[], signal: AbortSignal): Promise<number> {
    for (;;) {
      const current = await list.read(signal);
      try {
        return await list.write(entries, current.version, signal);
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }

  const acquireLock = defineTool({
    name: 'acquire_lock',
    description: 'Wait for the lock on the shared task list and take it. It expires after its TTL.',
    inputSchema: z.object({}),
    async execute(_input, context) {
      if (lock === null) throw new ToolError('there is no lock in this strategy');
      const held = heldFence;
      const reacquiring = held !== null && (await lock.holds(options.agentId, held, context.signal));
      if (reacquiring) {
        stats.reacquires++;
        await options.appendEvent({ type: 'coordination.lock-reacquired', payload: { agent, fence: held } });
      }
      const started = Date.now();
      let grant: LockGrant;
      try {
        grant = await lock.acquire(options.agentId, context.signal);
      } catch (error) {
        // a peer stopped while waiting was waiting all along, not busy
        stats.lockWaitMs += Date.now() - started;
        throw error;
      }
      stats.lockWaitMs += grant.waitedMs;
      heldFence = grant.fence;
      // the cycle's acquire counts once its write goes through; acquiring a lock one holds never does
      if (reacquiring) charge(ledger, 'waste', stepMs);
      else defer(ledger, stepMs);
      return { output: `lock acquired (fence ${grant.fence})`, details: grant };
    },
  });

  const releaseLock = defineTool({
    name: 'release_lock',
    description: 'Release the lock on the shared task list.',
    inputSchema: z.object({}),
    async execute(_input, context) {
      if (lock === null || heldFence === null) throw new ToolError('you do not hold the lock');
      const fence = heldFence;
      heldFence = null;
      const released = await lock.release(fence, context.signal);
      // after a write the cycle is already settled; a last cycle with nothing to write ends here
      defer(ledger, stepMs);
      settle(ledger, 'coordination');
      return {
        output: released ? 'lock released' : 'the lock had already expired and passed on',
        details: { fence, released },
      };
    },
  });

  const doWork = defineTool({
    name: 'do_work',
    description: 'Do the work of a task you claimed and land it.',
    inputSchema: z.object({ task: z.int().min(0) }),
    async execute(input, context) {
      await delay(options.workMs, undefined, { signal: context.signal });
      const outcome = await options.landing.land(input.task, context.signal);
      charge(ledger, outcome === 'landed' ? 'work' : 'waste', stepMs + options.workMs);
      await options.appendEvent({
        type: 'coordination.work-done',
        payload: { agent, task: input.task, duplicate: outcome === 'already-done' },
      });
      return {
        output:
          outcome === 'landed'
            ? `task ${input.task} done and landed`
            : `task ${input.task} was already done by someone else; your work duplicated it`,
        details: { outcome },
      };
    },
  });

  const tools =
    options.mode === 'flat-lock'
      ? [readTasks, acquireLock, writeTasks, releaseLock, doWork]
      : [readTasks, writeTasks, doWork];
  return { tools, stats };
}
