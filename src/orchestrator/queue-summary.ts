import type { TaskBoard } from '../board/index.ts';
import type { BoardEvent, CheckRun, QueueEntry, QueueOutcome } from '../protocol/index.ts';

/** How an entry left the queue without landing. */
export type QueueBounceType = Exclude<QueueOutcome['type'], 'landed'>;

/** The newest push of the queue, with the passed check run of that exact commit (null: none). */
export interface QueuePush {
  commit: string;
  previousTip: string;
  /** Changes the push landed. */
  entries: number;
  greenCheckRunId: string | null;
  at: number;
}

/** A branch tip the queue did not push that failed the checks, and the task filed to fix it. */
export interface QueueRedTip {
  tip: string;
  checkRunId: string;
  fixTaskId: string | null;
  /** Whether the queue holds other changes until the branch is green (`hold`) or goes on. */
  action: 'hold' | 'continue';
  at: number;
}

/** A run's merge queue as `cadre status`, the dashboard and the judge show it. */
export interface QueueSummary {
  /** Entries waiting in the queue. */
  depth: number;
  landed: number;
  /** Settled entries that did not land, by outcome type. */
  bounced: Record<QueueBounceType, number>;
  checkRuns: { total: number; passed: number; failed: number; timedOut: number; flaky: number };
  pushes: number;
  lastPush: QueuePush | null;
  /** The newest red tip that no push and no passed check of a later tip has followed. */
  redTip: QueueRedTip | null;
  /** Why the queue holds (`queue.held` not followed by `queue.resumed`). */
  held: string | null;
  /** Commits the queue pushed with no passed check run of that commit on the board: must be 0. */
  pushedWithoutGreenRun: number;
}

const queueEventTypes = ['queue.pushed', 'queue.red-tip', 'queue.check-run', 'queue.held', 'queue.resumed'];
const pageSize = 10_000;

/**
 * Reads a run's merge queue from the board: its entries, its check runs and the queue's events.
 * Null when the run never used the queue (no entries and no check runs).
 */
export async function readQueueSummary(
  board: TaskBoard,
  runId: string,
  signal?: AbortSignal,
): Promise<QueueSummary | null> {
  const options = signal ? { signal } : {};
  const [entries, events, latestRuns] = await Promise.all([
    readAllEntries(board, runId, options),
    readQueueEvents(board, runId, options),
    board.listCheckRuns({ runId, limit: pageSize }, options),
  ]);
  if (entries.length === 0 && latestRuns.length === 0) return null;
  const summary: QueueSummary = {
    depth: 0,
    landed: 0,
    bounced: {
      conflict: 0,
      'checks-failed': 0,
      'already-on-branch': 0,
      'already-landed': 0,
      'stale-fence': 0,
      withdrawn: 0,
    },
    checkRuns: { total: 0, passed: 0, failed: 0, timedOut: 0, flaky: 0 },
    pushes: 0,
    lastPush: null,
    redTip: null,
    held: null,
    pushedWithoutGreenRun: 0,
  };
  for (const { status, outcome } of entries) {
    if (status === 'queued' || outcome === null) summary.depth++;
    else if (outcome.type === 'landed') summary.landed++;
    else summary.bounced[outcome.type]++;
  }
  const pushed: { commit: string; checkRunId: string }[] = [];
  for (const event of events) {
    if (event.type === 'queue.check-run') {
      const { result, flaky, commit, base, entries: checked } = event.payload;
      summary.checkRuns.total++;
      if (result === 'passed') summary.checkRuns.passed++;
      else if (result === 'failed') summary.checkRuns.failed++;
      else summary.checkRuns.timedOut++;
      if (flaky) summary.checkRuns.flaky++;
      // a passed check of a new tip (one the queue did not push) means the branch is green again
      const tipCheck = checked.length === 0 && commit === base;
      if (result === 'passed' && tipCheck && commit !== summary.redTip?.tip) summary.redTip = null;
    } else if (event.type === 'queue.pushed') {
      const { commit, previousTip, entries: landed, checkRunId } = event.payload;
      summary.pushes++;
      pushed.push({ commit, checkRunId });
      summary.lastPush = { commit, previousTip, entries: landed.length, greenCheckRunId: null, at: event.at };
      summary.redTip = null;
    } else if (event.type === 'queue.red-tip') {
      summary.redTip = { ...event.payload, at: event.at };
    } else if (event.type === 'queue.held') summary.held = event.payload.reason;
    else if (event.type === 'queue.resumed') summary.held = null;
  }
  const green = await greenRunsOf(board, runId, pushed, latestRuns, options);
  summary.pushedWithoutGreenRun = pushed.filter(({ commit }) => !green.has(commit)).length;
  if (summary.lastPush) {
    const last = pushed.at(-1);
    const runs = green.get(summary.lastPush.commit) ?? [];
    summary.lastPush.greenCheckRunId =
      runs.find((run) => run.id === last?.checkRunId)?.id ?? runs[0]?.id ?? null;
  }
  return summary;
}

/**
 * The passed check runs of each pushed commit, read from the board's check runs (the record the
 * claim "never pushed red" rests on, not the events): the newest page at once, then one indexed
 * lookup per pushed commit that page does not cover.
 */
async function greenRunsOf(
  board: TaskBoard,
  runId: string,
  pushed: readonly { commit: string }[],
  latestRuns: readonly CheckRun[],
  options: { signal?: AbortSignal },
): Promise<Map<string, CheckRun[]>> {
  const green = new Map<string, CheckRun[]>();
  const add = (run: CheckRun) => {
    if (run.result === 'passed') green.set(run.commit, [...(green.get(run.commit) ?? []), run]);
  };
  latestRuns.forEach(add);
  if (latestRuns.length < pageSize) return green;
  for (const commit of new Set(pushed.map((push) => push.commit))) {
    if (green.has(commit)) continue;
    (await board.listCheckRuns({ runId, commit, limit: pageSize }, options)).forEach(add);
  }
  return green;
}

async function readAllEntries(
  board: TaskBoard,
  runId: string,
  options: { signal?: AbortSignal },
): Promise<QueueEntry[]> {
  const entries: QueueEntry[] = [];
  for (;;) {
    const afterPosition = entries.at(-1)?.position;
    const page = await board.listQueueEntries(
      { runId, limit: pageSize, ...(afterPosition === undefined ? {} : { afterPosition }) },
      options,
    );
    entries.push(...page);
    if (page.length < pageSize) return entries;
  }
}

async function readQueueEvents(
  board: TaskBoard,
  runId: string,
  options: { signal?: AbortSignal },
): Promise<BoardEvent[]> {
  const events: BoardEvent[] = [];
  for (;;) {
    const afterSeq = events.at(-1)?.seq ?? 0;
    const page = await board.readEvents(
      { runId, types: queueEventTypes, afterSeq, limit: pageSize },
      options,
    );
    events.push(...page);
    if (page.length < pageSize) return events;
  }
}
