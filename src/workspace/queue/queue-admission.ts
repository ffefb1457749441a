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

/**
 * Reads entries submitted since the last read into the pending list; they are applied to the chain
 * only when the checks need them. A new owner first looks for entries a dead owner pushed but never
 * settled, and settles those at once.
 */
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
    const early = state.recovering ? await screen(queue, state, entry, signal) : null;
    if (early !== null) await settleEntry(queue, entry, early, signal);
    else state.pending.push(entry);
  }
  state.recovering = false;
  return entries.length;
}

/**
 * Puts the chain back into the pending list, to be applied again from the tip: after entries left
 * it (a culprit, suspects), after the tip moved, or when entries that waited (on an earlier entry,
 * on a red tip) may go on. Applying is lazy, so this costs nothing until the checks need the chain.
 */
export function rebuildChain(state: TrainState): void {
  returnToPending(state, [...state.chain.map((link) => link.entry), ...state.waiting]);
  state.chain = [];
  state.waiting = [];
  state.redPrefix = null;
  state.redCheckRunId = null;
}

/** Gives the waiting entries another go: the tip moved, so what they waited on may be there. */
export function retryWaiting(state: TrainState): void {
  returnToPending(state, state.waiting);
  state.waiting = [];
}

/** Puts entries that left the chain (cleared suspects, waiting ones) back among the pending ones, in submission order. */
export function returnToPending(state: TrainState, entries: readonly QueueEntry[]): void {
  state.pending = [...state.pending, ...entries].sort((left, right) => left.position - right.position);
}

/**
 * Applies pending entries to the end of the chain until it is `length` long or nothing is pending.
 * Each is screened first (landed already, lease gone), held while the tip is red in `hold` mode
 * unless it is the fix, and sent back on a conflict with the tip.
 */
export async function extendChain(
  queue: QueueContext,
  state: TrainState,
  length: number,
  signal: AbortSignal,
): Promise<void> {
  while (state.chain.length < length) {
    const entry = state.pending.shift();
    if (!entry) return;
    await applyPending(queue, state, entry, signal);
  }
}

async function applyPending(
  queue: QueueContext,
  state: TrainState,
  entry: QueueEntry,
  signal: AbortSignal,
): Promise<void> {
  // resubmitted meanwhile (the board withdrew it): the newer entry stands for the task
  const current = await queue.board.getQueueEntry(entry.id, { signal });
  if (current.status !== 'queued') return;
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
    messages: state.messages,
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
