import { StaleFenceError } from '../../board/index.ts';
import type { QueueEntry, QueueOutcome } from '../../protocol/index.ts';
import { findTaskCommit } from '../landing/find-task-commit.ts';
import { applyEntry } from './queue-chain.ts';
import type { QueueContext, TrainState } from './queue-context.ts';

/** Settles an entry with the queue's fence; a deposed owner's settle throws StaleFenceError. */
export async function settleEntry(
  queue: QueueContext,
  entry: QueueEntry,
  outcome: QueueOutcome,
  signal: AbortSignal,
): Promise<void> {
  await queue.board.settleQueueEntry({ entryId: entry.id, queueFence: queue.fence, outcome }, { signal });
}

/** Reads entries submitted since the last read and applies each to the end of the chain, or settles it. */
export async function admitSubmissions(
  queue: QueueContext,
  state: TrainState,
  signal: AbortSignal,
): Promise<number> {
  const entries = await queue.board.listQueueEntries(
    { runId: queue.runId, status: 'queued', afterPosition: state.lastPosition, limit: 500 },
    { signal },
  );
  for (const entry of entries) {
    state.lastPosition = Math.max(state.lastPosition, entry.position);
    await admit(queue, state, entry, signal);
  }
  state.recovering = false;
  return entries.length;
}

/**
 * Applies the chain again from the tip: after a culprit left it, after the tip moved, or when entries
 * that waited (on an earlier entry, or on a red tip) may go on.
 */
export async function rebuildChain(
  queue: QueueContext,
  state: TrainState,
  signal: AbortSignal,
): Promise<void> {
  const entries = [...state.chain.map((link) => link.entry), ...state.waiting].sort(
    (left, right) => left.position - right.position,
  );
  state.chain = [];
  state.waiting = [];
  state.redPrefix = null;
  state.redCheckRunId = null;
  for (const entry of entries) await admit(queue, state, entry, signal);
}

/** Tries the waiting entries again at the end of the chain: the tip moved, so what they waited on may be there. */
export async function retryWaiting(
  queue: QueueContext,
  state: TrainState,
  signal: AbortSignal,
): Promise<void> {
  const waiting = state.waiting.sort((left, right) => left.position - right.position);
  state.waiting = [];
  await admitAgain(queue, state, waiting, signal);
}

/** Applies entries that left the chain (cleared suspects, waiting ones) to its end again, in submission order. */
export async function admitAgain(
  queue: QueueContext,
  state: TrainState,
  entries: readonly QueueEntry[],
  signal: AbortSignal,
): Promise<void> {
  const ordered = [...entries].sort((left, right) => left.position - right.position);
  for (const entry of ordered) await admit(queue, state, entry, signal);
}

async function admit(
  queue: QueueContext,
  state: TrainState,
  entry: QueueEntry,
  signal: AbortSignal,
): Promise<void> {
  const early = await screen(queue, state, entry, signal);
  if (early !== null) return settleEntry(queue, entry, early, signal);
  const held = !state.tipGreen && queue.settings.onRedTip === 'hold' && entry.taskId !== state.fixTaskId;
  if (held) {
    state.waiting.push(entry);
    return;
  }
  const last = state.chain.at(-1);
  const onto = last ? { commit: last.commit, tree: last.tree } : { commit: state.tip, tree: state.tipTree };
  const applied = await applyEntry({
    git: queue.git,
    cwd: queue.slots.chainPath,
    onto,
    tip: state.tip,
    entry,
    signal,
  });
  switch (applied.type) {
    case 'applied':
      state.chain.push(applied.link);
      return;
    case 'conflict':
      return settleEntry(queue, entry, { type: 'conflict', tip: state.tip, files: applied.files }, signal);
    case 'deferred':
      state.waiting.push(entry);
      return;
    case 'already-on-branch':
      // an earlier queued entry makes the same change: decide once that one has landed
      if (last) state.waiting.push(entry);
      else await settleEntry(queue, entry, { type: 'already-on-branch', tip: state.tip }, signal);
      return;
  }
}

/**
 * What settles an entry before it is applied: the task landed already (recorded, or — after a queue
 * owner died between its push and its records — found on the branch by its trailer), or its lease moved on.
 */
async function screen(
  queue: QueueContext,
  state: TrainState,
  entry: QueueEntry,
  signal: AbortSignal,
): Promise<QueueOutcome | null> {
  const { board } = queue;
  const landing = await board.getLanding(entry.taskId, { signal });
  if (landing) return { type: 'already-landed', commit: landing.commit };
  if (state.recovering) {
    const range = queue.hub.seedCommit ? [state.tip, `^${queue.hub.seedCommit}`] : [state.tip];
    const found = await findTaskCommit({
      git: queue.git,
      cwd: queue.slots.chainPath,
      taskId: entry.taskId,
      range,
      signal,
    });
    if (found) {
      await recordQuietly(queue, entry, found.commit, signal);
      return { type: 'already-landed', commit: found.commit };
    }
  }
  const task = await board.getTask(entry.taskId, { signal });
  if (task.status !== 'leased' || task.fence !== entry.fence)
    return {
      type: 'stale-fence',
      message: `task ${entry.taskId}: the lease with fence ${entry.fence} is no longer held (now ${task.status}, fence ${task.fence})`,
    };
  return null;
}

/** Records a landing for the entry's lease; a lease that moved on leaves it to the task's next holder. */
export async function recordQuietly(
  queue: QueueContext,
  entry: QueueEntry,
  commit: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    await queue.board.recordLanding({ taskId: entry.taskId, fence: entry.fence, commit }, { signal });
  } catch (error) {
    if (!(error instanceof StaleFenceError)) throw error;
  }
}
