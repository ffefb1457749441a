import type { TaskBoard } from '../board/index.ts';
import type { BoardEvent } from '../protocol/index.ts';
import { type WorkspaceSetupEvent, workspaceSetupEventType } from '../workspace/index.ts';
import { setupPausedEventType } from './setup-pause.ts';

/** One worktree's readying, as status lists show it. */
export interface SetupEntry {
  agentId: string;
  worktree: string | null;
  phase: WorkspaceSetupEvent['phase'];
  outcome: WorkspaceSetupEvent['report']['type'];
  readyMs: number;
  at: number;
}

/** How a run's worktrees were made ready: template hits and misses, times, and whether setup is failing. */
export interface SetupSummary {
  /** Worktrees made ready (new ones and lock-file refreshes). */
  ready: number;
  templateBuilds: number;
  templateHits: number;
  /** Setups a worktree ran for itself after its lock files changed. */
  ownSetups: number;
  failures: number;
  /** Failures since the last success: above zero, setup is failing now. */
  consecutiveFailures: number;
  lastFailure: string | null;
  /** Whether failing setups paused the run, and why (cleared by the next success). */
  paused: string | null;
  /** Median and slowest time to ready a new worktree, in milliseconds. */
  readyMsP50: number | null;
  readyMsMax: number | null;
  /** The newest readyings, newest last. */
  recent: SetupEntry[];
}

const recentCount = 20;

/** Reads a run's `workspace.setup` events into a summary; null when the run has no setup. */
export async function readSetupSummary(
  board: TaskBoard,
  runId: string,
  signal?: AbortSignal,
): Promise<SetupSummary | null> {
  const events: BoardEvent[] = [];
  for (;;) {
    const page = await board.readEvents(
      {
        runId,
        types: [workspaceSetupEventType, setupPausedEventType],
        afterSeq: events.at(-1)?.seq ?? 0,
        limit: 10_000,
      },
      signal ? { signal } : {},
    );
    events.push(...page);
    if (page.length < 10_000) break;
  }
  if (events.length === 0) return null;
  const summary: SetupSummary = {
    ready: 0,
    templateBuilds: 0,
    templateHits: 0,
    ownSetups: 0,
    failures: 0,
    consecutiveFailures: 0,
    lastFailure: null,
    paused: null,
    readyMsP50: null,
    readyMsMax: null,
    recent: [],
  };
  const createTimes: number[] = [];
  for (const event of events) {
    if (event.type === setupPausedEventType) {
      summary.paused = `setup failed repeatedly: ${summary.lastFailure ?? 'see the log'}`;
      continue;
    }
    if (event.type !== 'workspace.setup') continue;
    const { report, readyMs, phase, agentId, worktree } = event.payload;
    summary.recent.push({
      agentId,
      worktree,
      phase,
      outcome: report.type,
      readyMs,
      at: event.at,
    });
    if (report.type === 'failed') {
      summary.failures++;
      summary.consecutiveFailures++;
      summary.lastFailure = report.reason;
      continue;
    }
    summary.ready++;
    summary.consecutiveFailures = 0;
    summary.paused = null;
    if (report.type === 'template-built') summary.templateBuilds++;
    else if (report.type === 'template-hit') summary.templateHits++;
    else summary.ownSetups++;
    if (phase === 'create') createTimes.push(readyMs);
  }
  summary.recent = summary.recent.slice(-recentCount);
  createTimes.sort((a, b) => a - b);
  summary.readyMsP50 =
    createTimes.length > 0 ? (createTimes[Math.floor((createTimes.length - 1) / 2)] ?? null) : null;
  summary.readyMsMax = createTimes.at(-1) ?? null;
  return summary;
}

/** The summary as one status line, loud when setup is failing. */
export function formatSetupSummary(summary: SetupSummary): string {
  const seconds = (milliseconds: number | null) =>
    milliseconds === null ? '-' : `${(milliseconds / 1000).toFixed(1)} s`;
  const counts =
    `worktree setup: ${summary.ready} ready (${summary.templateBuilds} template built, ` +
    `${summary.templateHits} template hits, ${summary.ownSetups} own setups), ` +
    `p50 ${seconds(summary.readyMsP50)}, max ${seconds(summary.readyMsMax)}`;
  if (summary.paused) return `${counts}\n  SETUP FAILING — run paused: ${summary.paused}`;
  if (summary.consecutiveFailures > 0)
    return `${counts}\n  SETUP FAILING (${summary.consecutiveFailures} in a row): ${summary.lastFailure}`;
  return summary.failures > 0 ? `${counts}, ${summary.failures} failed earlier` : counts;
}
