import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { StaleFenceError } from '../../board/index.ts';
import type { Git } from '../git/run-git.ts';
import type { Hub } from '../hub/hub.ts';
import type { ChecksConfig } from '../landing/run-checks.ts';
import type { WorktreeManager } from '../worktree/create-worktree-manager.ts';
import { type CheckSlots, createCheckSlots } from './check-slots.ts';
import { admitSubmissions } from './queue-admission.ts';
import { createTrainState, type QueueBoard, type QueueContext } from './queue-context.ts';
import { runRound } from './queue-round.ts';
import type { QueueSettings } from './queue-settings.ts';
import { reconcileTip } from './queue-tip.ts';

/** Options of startMergeQueue. */
export interface MergeQueueOptions {
  runId: string;
  board: QueueBoard;
  hub: Pick<Hub, 'branch' | 'seedCommit' | 'tip' | 'refresh'>;
  git: Git;
  /** Makes the queue's check slots, ready like agents' worktrees. */
  worktrees: WorktreeManager;
  checks: ChecksConfig;
  settings: QueueSettings;
  /** Who holds the queue lease: unique per process (a host name and pid, say). */
  owner: string;
  newId?: () => string;
  sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  log?: (line: string) => void;
}

/** A process's part in the run's merge queue: it owns the queue while it holds the lease, and waits otherwise. */
export interface MergeQueue {
  /** Settles when the queue stopped (by `stop`, or with the error that stopped it). */
  readonly done: Promise<void>;
  /** Stops checking, releases the lease so another process takes over at once, and removes the slots. */
  stop(): Promise<void>;
}

// ticks an idle queue waits between looks at the tip, for pushes from outside the queue
const idleTicksPerTipCheck = 8;
// after an unexpected error (git, the board), wait before owning the queue again
const errorBackoffMs = 2000;

/**
 * Starts this process's merge queue loop. Every process of a run may start one: the board's queue
 * lease makes one of them the owner, fenced, and another takes over when the owner dies (its lease
 * runs out). All state the owner needs is on the board and the branch, so a new owner rebuilds it:
 * nothing half-built survives a crash, and entries whose push happened but whose settle did not are
 * found on the branch by their trailers.
 */
export function startMergeQueue(options: MergeQueueOptions): MergeQueue {
  const controller = new AbortController();
  const sleep = options.sleep ?? ((milliseconds, signal) => delay(milliseconds, undefined, { signal }));
  const log = options.log ?? (() => {});
  let slots: CheckSlots | null = null;
  const getSlots = async (signal: AbortSignal) => {
    slots ??= await createCheckSlots({
      worktrees: options.worktrees,
      git: options.git,
      checks: options.checks,
      size: options.settings.speculation,
      label: 'merge-queue',
      signal,
    });
    return slots;
  };
  const loop = async () => {
    const { signal } = controller;
    while (!signal.aborted) {
      try {
        const lease = await options.board.acquireQueueLease(
          { runId: options.runId, owner: options.owner, ttlMs: options.settings.leaseTtlMs },
          { signal },
        );
        if (signal.aborted) break;
        if (!lease) {
          await sleep(Math.min(options.settings.leaseTtlMs / 3, 5000), signal).catch(() => {});
          continue;
        }
        const queue: QueueContext = {
          runId: options.runId,
          board: options.board,
          hub: options.hub,
          git: options.git,
          slots: await getSlots(signal),
          settings: options.settings,
          fence: lease.fence,
          sleep,
          newId: options.newId ?? randomUUID,
          log,
        };
        log(`merge queue: this process owns the queue (fence ${lease.fence})`);
        await own(queue, signal, options.checks.command);
      } catch (error) {
        if (signal.aborted) break;
        if (!(error instanceof StaleFenceError)) {
          log(`merge queue: stopped by an error, starting again: ${String(error)}`);
          await sleep(errorBackoffMs, signal).catch(() => {});
        }
      }
    }
  };
  const done = loop();
  return {
    done,
    async stop() {
      controller.abort(new Error('the merge queue was stopped'));
      await done.catch(() => {});
      await slots?.close(new AbortController().signal);
    },
  };
}

/** Runs the queue while the lease holds: renewed every third of its time to live, lost on a stale fence. */
async function own(queue: QueueContext, signal: AbortSignal, checksCommand: string): Promise<void> {
  const lost = new AbortController();
  const owning = AbortSignal.any([signal, lost.signal]);
  const { leaseTtlMs } = queue.settings;
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      queue.board
        .renewQueueLease({ runId: queue.runId, fence: queue.fence, ttlMs: leaseTtlMs })
        .catch((error: unknown) => {
          if (error instanceof StaleFenceError) lost.abort(error);
        })
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(250, Math.floor(leaseTtlMs / 3)),
  );
  try {
    await train(queue, owning, checksCommand);
  } catch (error) {
    if (lost.signal.aborted) throw lost.signal.reason;
    throw error;
  } finally {
    clearInterval(timer);
    if (signal.aborted)
      await queue.board.releaseQueueLease({ runId: queue.runId, fence: queue.fence }).catch(() => {});
  }
}

/** The owner's loop: admit submissions, run a round, look at the tip now and then. */
async function train(queue: QueueContext, signal: AbortSignal, checksCommand: string): Promise<void> {
  const state = createTrainState();
  await reconcileTip(queue, state, signal, checksCommand);
  let idleTicks = 0;
  while (!signal.aborted) {
    await admitSubmissions(queue, state, signal);
    const round = await runRound(queue, state, signal);
    if (round.type === 'tip-moved') await reconcileTip(queue, state, signal, checksCommand);
    if (round.type !== 'idle') {
      idleTicks = 0;
      continue;
    }
    if (++idleTicks % idleTicksPerTipCheck === 0) await reconcileTip(queue, state, signal, checksCommand);
    await queue.sleep(queue.settings.pollIntervalMs, signal);
  }
}
