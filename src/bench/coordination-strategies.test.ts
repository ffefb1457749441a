import { describe, expect, it } from 'vitest';
import { readAllEvents } from '../board/index.ts';
import { type BoardEvent, NewTask } from '../protocol/index.ts';
import { labTasks, runCoordinationCell } from './coordination-cell.ts';
import { openLabEnvironment } from './coordination-environment.ts';
import { type CoordinationRow, measureRow } from './coordination-metrics.ts';
import {
  CoordinationSettings,
  type CoordinationSettingsInput,
  maxLabTasks,
  type StrategyMeasures,
} from './strategies/coordination-settings.ts';
import { runFlatStrategy } from './strategies/run-flat-strategy.ts';
import { encodeTaskList } from './strategies/shared-task-list.ts';

const noFaults = { holdTooLong: 0, forgetRelease: 0, reacquire: 0, unlockedWrite: 0 };
/** A TTL of seconds: on a loaded CI machine a 5 ms model call can take far longer, and an expired lock duplicates work. */
const longTtl = { lockTtlSteps: 1_000 };
const signal = new AbortController().signal;

/** Runs flat-lock and returns its measures, its row and the lock row's events, in log order. */
async function runFlatLock(
  input: CoordinationSettingsInput,
): Promise<{ measures: StrategyMeasures; row: CoordinationRow; lockEvents: BoardEvent[] }> {
  const settings = CoordinationSettings.parse(input);
  const environment = await openLabEnvironment({ strategy: 'flat-lock', settings, git: false, signal });
  try {
    if (environment.type !== 'flat') throw new Error('expected a flat environment');
    const measures = await runFlatStrategy({
      mode: 'flat-lock',
      settings,
      board: environment.board,
      runId: environment.runId,
      lander: environment.lander,
      worktrees: null,
      worktreeRoot: environment.directory,
      signal,
    });
    const { board, runId } = environment;
    const row = await measureRow({
      board,
      runId,
      strategy: 'flat-lock',
      settings,
      measures,
      signal,
    });
    const [lock] = await board
      .listTasks({ runId, kind: 'work', limit: 10_000 })
      .then((tasks) => tasks.filter((task) => task.scope[0]?.startsWith('coordination/lock/')));
    const events = await readAllEvents(
      board,
      { runId, types: ['task.claimed', 'task.released', 'coordination.lock-expired'] },
      signal,
    );
    return { measures, row, lockEvents: events.filter((event) => event.taskId === lock?.id) };
  } finally {
    await environment.cleanup();
  }
}

/** Replays the lock's claims and releases; throws if a claim comes while someone holds it. */
function holdsOf(
  events: readonly BoardEvent[],
  /** A peer that forgot to release last may still hold the lock when everyone is done. */
  heldAtEnd = false,
): Array<{ owner: string; from: number; to: number }> {
  const holds: Array<{ owner: string; from: number; to: number }> = [];
  let holder: { owner: string; fence: number; from: number } | null = null;
  for (const event of events) {
    if (event.type === 'task.claimed') {
      const { payload } = event;
      if (holder !== null) throw new Error(`${payload.owner} took the lock while ${holder.owner} held it`);
      holder = { owner: payload.owner, fence: payload.fence, from: event.at };
    } else if (event.type === 'task.released') {
      expect(holder?.fence).toBe(event.payload.fence);
      holds.push({ owner: holder?.owner ?? '', from: holder?.from ?? 0, to: event.at });
      holder = null;
    }
  }
  if (!heldAtEnd) expect(holder).toBeNull();
  return holds;
}

describe('the coordination strategies on small settings', () => {
  it.each(['flat-lock', 'flat-occ', 'hierarchical'] as const)(
    '%s does every task exactly once',
    async (strategy) => {
      const row = await runCoordinationCell(
        strategy,
        { agents: 5, tasks: 12, latencyMs: 5, ...longTtl, faults: noFaults },
        { git: false, signal },
      );
      expect(row).toMatchObject({
        tasks_done: 12,
        unfinished_tasks: 0,
        duplicate_work: 0,
        lost_tasks: 0,
        cut_off: false,
      });
      expect(row.work_agent_s).toBeGreaterThan(0);
      expect(row.tasks_per_agent_s).toBeGreaterThan(0);
    },
  );

  it('flat-lock serializes decision steps: peers wait, and the log never shows two holders', async () => {
    const { row, lockEvents } = await runFlatLock({
      agents: 5,
      tasks: 12,
      latencyMs: 5,
      ...longTtl,
      faults: noFaults,
    });
    expect(row.tasks_done).toBe(12);
    expect(row.lock_wait_share).toBeGreaterThan(0);
    const holds = holdsOf(lockEvents);
    expect(holds.length).toBeGreaterThanOrEqual(12);
    expect(new Set(holds.map((hold) => hold.owner)).size).toBe(5);
  });

  it('counts as work only the nominal time of tasks done: do_work and its work steps, never wall time', async () => {
    const latencyMs = 5;
    const { measures, row } = await runFlatLock({
      agents: 4,
      tasks: 10,
      latencyMs,
      workSteps: 2,
      ...longTtl,
      faults: noFaults,
    });
    expect(row).toMatchObject({ tasks_done: 10, duplicate_work: 0 });
    expect(measures.ledger.workMs).toBe(10 * (1 + 2) * latencyMs);
    // each task's lock cycle (acquire, read, write, release) and each peer's last cycle and last call
    expect(measures.ledger.coordinationMs).toBeGreaterThanOrEqual(10 * 4 * latencyMs);
    expect(measures.ledger.wasteMs).toBe(0);
    expect(row.tasks_per_agent_s).toBeCloseTo(row.tasks_done / (measures.wallMs / 1000) / 4, 3);
    expect(row.model_effective_agents).not.toBeNull();
  });

  it('a run cut off at the wall limit reports its unfinished tasks, whatever the strategy', async () => {
    for (const strategy of ['flat-lock', 'hierarchical'] as const) {
      const row = await runCoordinationCell(
        strategy,
        { agents: 3, tasks: 60, latencyMs: 20, maxWallSeconds: 0.4, faults: noFaults },
        { git: false, signal },
      );
      expect(row.cut_off).toBe(true);
      expect(row.tasks_done).toBeLessThan(60);
      expect(row.unfinished_tasks).toBe(60 - row.tasks_done);
      expect(row.lost_tasks).toBeNull();
      expect(row.wall_s).toBeLessThan(5);
    }
  });

  it('flat-occ counts refused writes and still does every task once', async () => {
    const row = await runCoordinationCell(
      'flat-occ',
      { agents: 8, tasks: 24, latencyMs: 5, ...longTtl, faults: noFaults },
      { git: false, signal },
    );
    expect(row.occ_conflicts).toBeGreaterThan(0);
    expect(row.waste_share).toBeGreaterThan(0);
    expect(row).toMatchObject({ tasks_done: 24, duplicate_work: 0, lost_tasks: 0, lock_wait_share: 0 });
  });
});

describe('flat-lock fault injection', () => {
  const base = { agents: 3, tasks: 6, latencyMs: 5, lockTtlSteps: 6 };

  it('a forgotten release is freed by the TTL', async () => {
    const { row, lockEvents } = await runFlatLock({ ...base, faults: { ...noFaults, forgetRelease: 1 } });
    expect(row.lock_expiries).toBeGreaterThan(0);
    expect(lockEvents.some((event) => event.type === 'coordination.lock-expired')).toBe(true);
    expect(row.tasks_done).toBe(6);
    holdsOf(lockEvents, true);
  });

  it('acquiring a held lock waits on itself until the TTL', async () => {
    const { row } = await runFlatLock({ ...base, faults: { ...noFaults, reacquire: 1 } });
    expect(row.lock_reacquires).toBeGreaterThan(0);
    expect(row.lock_expiries).toBeGreaterThanOrEqual(row.lock_reacquires);
    expect(row.tasks_done).toBe(6);
  });

  it('a write without the lock is detected and counted', async () => {
    const { row } = await runFlatLock({ ...base, faults: { ...noFaults, unlockedWrite: 1 } });
    expect(row.unlocked_writes).toBeGreaterThan(0);
    expect(row.tasks_done + (row.lost_tasks ?? 0)).toBe(6);
  });

  it('holding the lock too long stretches every hold by the extra model calls', async () => {
    const latencyMs = 10;
    const steps = 3;
    const { lockEvents } = await runFlatLock({
      ...base,
      latencyMs,
      lockTtlSteps: 100,
      faults: { ...noFaults, holdTooLong: 1, holdTooLongSteps: steps },
    });
    // a hold spans the calls after acquiring: read, the re-reads, write, release — each sleeps the latency
    for (const hold of holdsOf(lockEvents))
      expect(hold.to - hold.from).toBeGreaterThanOrEqual((2 + steps) * latencyMs);
  });
});

describe('with --git', () => {
  it.each(['flat-lock', 'hierarchical'] as const)(
    '%s lands every task once through the real lander',
    async (strategy) => {
      const row = await runCoordinationCell(
        strategy,
        { agents: 3, tasks: 4, latencyMs: 5, ...longTtl, faults: noFaults },
        { git: true, signal },
      );
      expect(row).toMatchObject({ tasks_done: 4, duplicate_work: 0, lost_tasks: 0 });
    },
  );
});

describe('the lab task set', () => {
  it('gives every agent the same share, and a capped run still fits the flat list in one task spec', () => {
    expect(labTasks(20, 30)).toBe(600);
    expect(labTasks(5_000, 30)).toBe(maxLabTasks);
    // the worst case: every entry done by a peer with a four-digit number
    const entries = Array.from({ length: maxLabTasks }, () => ({ type: 'done' as const, agent: 4_999 }));
    const spec = encodeTaskList(entries);
    expect(spec.length).toBeLessThanOrEqual(100_000);
    expect(() =>
      NewTask.parse({ runId: 'run_abcdef', kind: 'work', title: 'the shared list', spec }),
    ).not.toThrow();
  });
});
