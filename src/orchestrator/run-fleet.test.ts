import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../workspace/index.ts';
import { type RunSummary, runFleet } from './run-fleet.ts';
import { createSimFleet, type SimFleet } from './testing/sim-fleet.ts';

describe('a simulated fleet end to end (real board, real git, sim models)', () => {
  let fleet: SimFleet;
  let summary: RunSummary;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    fleet = await createSimFleet({
      fleet: { planners: 2, workers: 20, cycles: 2, maxSubplanners: 4, maxPlannerDepth: 2 },
      tasksPerPlanner: 3,
      latencyMs: 5,
      signal,
    });
    summary = await runFleet({ deps: fleet.deps, runId: fleet.runId, signal });
  }, 120_000);
  afterAll(async () => fleet?.cleanup());

  it('finishes both cycles with every task done and verdicts stored', async () => {
    expect(summary.status).toBe('done');
    expect(summary.tasks).toMatchObject({ open: 0, leased: 0, failed: 0, cancelled: 0 });
    expect(summary.cycles.map((cycle) => [cycle.n, cycle.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
    ]);
    expect(summary.cycles[0]?.verdict?.continue).toBe(true);
    expect(summary.cycles[1]?.verdict?.continue).toBe(false);
    expect((await fleet.board.getRun(fleet.runId)).status).toBe('done');
  });

  it('planned with sub-planners: each cycle has a root plan and four area plans', async () => {
    const plans = await fleet.board.listTasks({ runId: fleet.runId, kind: 'plan' });
    for (const cycle of await fleet.board.listCycles(fleet.runId)) {
      const inCycle = plans.filter((task) => task.cycleId === cycle.id);
      const roots = inCycle.filter((task) => task.parentId === null);
      expect(roots).toHaveLength(1);
      expect(inCycle.filter((task) => task.parentId === roots[0]?.id)).toHaveLength(4);
    }
  });

  it('every landed commit is traceable to exactly one task, and every work task landed once', async () => {
    const cwd = fleet.deps.hub.objectSource;
    const log = await gitText(
      fleet.deps.git,
      ['log', '--format=%H %(trailers:key=Cadre-Task,valueonly,separator=)', 'main'],
      { cwd, signal },
    );
    const landedTasks = log
      .split('\n')
      .map((line) => line.split(' ')[1])
      .filter((task): task is string => Boolean(task));
    const work = await fleet.board.listTasks({ runId: fleet.runId, kind: 'work' });
    expect(work.length).toBe(2 * 4 * 3);
    expect(new Set(landedTasks).size).toBe(landedTasks.length);
    expect(new Set(landedTasks)).toEqual(new Set(work.map((task) => task.id)));
    for (const task of work) {
      const landing = await fleet.board.getLanding(task.id);
      expect(landing?.commit).toBe((task.result as { commit: string }).commit);
    }
  });

  it('starts fresh agents in cycle 2: one agent per task, none shared between cycles', async () => {
    const agents = await fleet.board.listAgents({ runId: fleet.runId });
    const cycles = await fleet.board.listCycles(fleet.runId);
    const perCycle = cycles.map(
      (cycle) => new Set(agents.filter((agent) => agent.cycleId === cycle.id).map((agent) => agent.id)),
    );
    expect(perCycle[0]?.size).toBeGreaterThan(0);
    expect(perCycle[1]?.size).toBeGreaterThan(0);
    expect([...(perCycle[0] ?? [])].some((id) => perCycle[1]?.has(id))).toBe(false);
    expect(new Set(agents.map((agent) => agent.taskId)).size).toBe(agents.length);
    expect(agents.every((agent) => agent.status === 'done' && agent.promptHash.length === 16)).toBe(true);
  });

  it('resolved the conflicts on the shared index files instead of losing an export', async () => {
    const conflicts = await fleet.board.readEvents({
      runId: fleet.runId,
      types: ['landing.conflict'],
      limit: 10_000,
    });
    expect(conflicts.length).toBeGreaterThan(0);
    const index = await gitText(fleet.deps.git, ['show', 'main:src/api/index.ts'], {
      cwd: fleet.deps.hub.objectSource,
      signal,
    });
    expect(index.split('\n').filter((line) => line.startsWith('export * from'))).toHaveLength(2 * 3);
    expect(index).not.toMatch(/<{7}|>{7}/);
  });
});
