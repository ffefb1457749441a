import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../workspace/index.ts';
import { type RunSummary, runFleet } from './run-fleet.ts';
import { createSimFleet, type SimFleet } from './testing/sim-fleet.ts';

describe('a simulated fleet landing through the merge queue (checks configured)', () => {
  let fleet: SimFleet;
  let summary: RunSummary;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    fleet = await createSimFleet({
      fleet: { planners: 1, workers: 4, cycles: 1, maxSubplanners: 2, maxPlannerDepth: 1 },
      tasksPerPlanner: 3,
      latencyMs: 5,
      // every worker also edits a shared index file: conflicts go through the queue too
      sharedIndex: true,
      workspace: {
        landing: {
          checks: { command: 'if grep -rqs BROKEN src; then echo BROKEN; exit 1; fi', timeoutMs: 60_000 },
          queue: { pollIntervalMs: 25 },
        },
      },
      signal,
    });
    summary = await runFleet({ deps: fleet.deps, runId: fleet.runId, signal });
  }, 180_000);
  afterAll(async () => fleet?.cleanup());

  it('lands every work task once, only through the queue, each push with a green check run of its commit', async () => {
    expect(summary.tasks.failed).toBe(0);
    const work = await fleet.board.listTasks({ runId: fleet.runId, kind: 'work' });
    expect(work.length).toBeGreaterThan(0);
    expect(work.every((task) => task.status === 'done')).toBe(true);
    const log = await gitText(
      fleet.deps.git,
      ['log', '--format=%(trailers:key=Cadre-Task,valueonly,separator=)', 'main'],
      { cwd: fleet.deps.hub.objectSource, signal },
    );
    const landed = log.split('\n').filter(Boolean);
    expect(new Set(landed)).toEqual(new Set(work.map((task) => task.id)));
    expect(landed).toHaveLength(work.length);
    const events = await fleet.board.readEvents({ runId: fleet.runId, limit: 10_000 });
    const pushed = events.flatMap((event) => (event.type === 'queue.pushed' ? [event.payload.commit] : []));
    expect(pushed.length).toBeGreaterThan(0);
    const tip = await fleet.deps.hub.tip(signal);
    expect(pushed.at(-1)).toBe(tip);
    const runs = await fleet.board.listCheckRuns({ runId: fleet.runId, limit: 1000 });
    for (const commit of pushed)
      expect(runs.some((run) => run.commit === commit && run.result === 'passed')).toBe(true);
    const settled = await fleet.board.listQueueEntries({
      runId: fleet.runId,
      status: 'settled',
      limit: 1000,
    });
    expect(settled.filter((entry) => entry.outcome?.type === 'landed')).toHaveLength(work.length);
  });
});
