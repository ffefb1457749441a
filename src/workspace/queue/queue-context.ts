import type { TaskBoard } from '../../board/index.ts';
import type { NewEventInput, QueueEntry } from '../../protocol/index.ts';
import type { Git } from '../git/run-git.ts';
import type { Hub } from '../hub/hub.ts';
import type { CheckSlots } from './check-slots.ts';
import type { ChainLink } from './queue-chain.ts';
import type { QueueSettings } from './queue-settings.ts';

/** The part of the board the queue owner uses. */
export type QueueBoard = Pick<
  TaskBoard,
  | 'acquireQueueLease'
  | 'renewQueueLease'
  | 'releaseQueueLease'
  | 'listQueueEntries'
  | 'getQueueEntry'
  | 'settleQueueEntry'
  | 'recordCheckRun'
  | 'listCheckRuns'
  | 'getCheckRun'
  | 'createTasks'
  | 'getTask'
  | 'getLanding'
  | 'recordLanding'
  | 'appendEvent'
>;

/** What one holder of the queue lease works with. */
export interface QueueContext {
  readonly runId: string;
  readonly board: QueueBoard;
  readonly hub: Pick<Hub, 'branch' | 'seedCommit' | 'tip' | 'refresh'>;
  readonly git: Git;
  readonly slots: CheckSlots;
  readonly settings: QueueSettings;
  /** The queue lease's fence: every settle and check run presents it, so a deposed owner writes nothing. */
  readonly fence: number;
  readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  readonly newId: () => string;
  /** Progress lines for the operator (stderr in the CLI). */
  readonly log: (line: string) => void;
}

/** The queue's picture of the branch and of the changes on their way to it. */
export interface TrainState {
  tip: string;
  tipTree: string;
  /** Whether the tip's tree is known to pass the checks (pushed green by the queue, or checked). */
  tipGreen: boolean;
  /** While the tip is red: the task filed to fix it, whose entries alone pass in `hold` mode. */
  fixTaskId: string | null;
  /** Entries applied one on another onto the tip, in submission order; only as many as the checks need. */
  chain: ChainLink[];
  /** Entries admitted but not applied yet, in submission order: the chain grows from here when needed. */
  pending: QueueEntry[];
  /** Entries that conflict only with earlier queued ones, or wait for a red tip to be fixed. */
  waiting: QueueEntry[];
  /**
   * Entries taken out of the chain because a batch holding them failed: checked apart from the train
   * (in halves, on the tip) until each is cleared or blamed, so one bad change never stalls the rest.
   */
  suspects: Suspect[];
  /** Entries that passed alone after being suspected: a batch of only these failing is an interaction. */
  cleared: Set<string>;
  /**
   * chain[0, redPrefix) is known to fail the checks on the tip, by check run `redCheckRunId`; set only
   * when the failing batch held cleared entries alone (they break together), and bisected in place.
   */
  redPrefix: number | null;
  redCheckRunId: string | null;
  /** The highest submission position admitted; newer entries are read after it. */
  lastPosition: number;
  /** Whether each recent decided entry broke the checks, newest last: sizes the next batches. */
  recent: boolean[];
  /** In `continue` mode on a red tip: the chain length last checked, so it is checked again only when it grows. */
  checkedRedTipLength: number;
  /** Whether admission must look for entries pushed before a crash but never settled. */
  recovering: boolean;
  /** Commit messages of entries, read once: entries are applied again after each rebuild. */
  messages: Map<string, string>;
}

/** A new owner's picture: no tip known yet (the first look checks it), nothing admitted, recovering. */
export function createTrainState(): TrainState {
  return {
    tip: '',
    tipTree: '',
    tipGreen: false,
    fixTaskId: null,
    chain: [],
    pending: [],
    waiting: [],
    suspects: [],
    cleared: new Set(),
    redPrefix: null,
    redCheckRunId: null,
    lastPosition: -1,
    recent: [],
    checkedRedTipLength: 0,
    recovering: true,
    messages: new Map(),
  };
}

/** Entries suspected together of breaking the checks. */
export interface Suspect {
  entries: QueueEntry[];
  /** Failed check runs that held all of these entries: a lone entry is blamed at 1 + flakyRetries. */
  reds: number;
  /** The latest of those runs, whose output goes back to the worker. */
  checkRunId: string;
  /** The entries are exactly those of the failed run: passing now makes that failure flaky. */
  wholeRun: boolean;
}

/** Appends one of the queue's own events (batches, pushes, red tips); never fails the queue. */
export async function emitQueueEvent(
  queue: QueueContext,
  event: NewEventInput,
  signal: AbortSignal,
): Promise<void> {
  try {
    await queue.board.appendEvent(event, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    queue.log(`merge queue: could not record ${event.type}: ${String(error)}`);
  }
}
