import { afterEach, describe, expect, it } from 'vitest';
import type { Model } from '../llm/index.ts';
import { createScriptedModel, type ScriptedTurn } from '../llm/testing/scripted-model.ts';
import { runFleet } from './run-fleet.ts';
import { createScriptedFleet } from './testing/scripted-fleet.ts';
import type { SimFleet } from './testing/sim-fleet.ts';

const signal = new AbortController().signal;
const fleetShape = { planners: 1, workers: 2, maxSubplanners: 0, maxPlannerDepth: 0 };

function verdictTurn(continueRun: boolean): ScriptedTurn {
  return {
    type: 'tool-calls',
    toolCalls: [
      {
        name: 'submit_verdict',
        input: { continue: continueRun, score: 0.5, reasons: ['scripted judge'], next_focus: [] },
      },
    ],
  };
}

let fleet: SimFleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});

describe('judging a cycle', () => {
  it('retries a judge whose first attempt failed, and its second verdict (continue) starts the next cycle', async () => {
    const judge = createScriptedModel([
      { type: 'error', errorType: 'server', message: 'upstream returned 502' },
      verdictTurn(true),
      verdictTurn(false),
    ]);
    fleet = await createScriptedFleet({
      fleet: { ...fleetShape, cycles: 2 },
      tasksPerPlanner: 1,
      latencyMs: 0,
      models: { judge },
      signal,
    });
    const summary = await runFleet({ deps: fleet.deps, runId: fleet.runId, signal });

    expect(summary.status).toBe('done');
    expect(summary.reason).toBe('the judge ended the run after cycle 2');
    expect(summary.cycles.map((cycle) => [cycle.n, cycle.status, cycle.verdict?.continue])).toEqual([
      [1, 'done', true],
      [2, 'done', false],
    ]);
    expect(judge.remaining()).toBe(0);
    const [first] = await fleet.board.listCycles(fleet.runId);
    const judgeTasks = (await fleet.board.listTasks({ runId: fleet.runId, kind: 'judge' })).filter(
      (task) => task.cycleId === first?.id,
    );
    // one task per attempt: the failed attempt's task failed for good, the second one holds the verdict
    expect(judgeTasks.map((task) => task.status).sort()).toEqual(['done', 'failed']);
    expect(judgeTasks.find((task) => task.status === 'failed')?.failureReason).toMatch(
      /upstream returned 502/,
    );
    const unsettled = await fleet.board.readEvents({ runId: fleet.runId, types: ['agent.settle-failed'] });
    expect(unsettled).toEqual([]);
  }, 60_000);

  it("shows the judge the merge queue's record of the branch: check runs and a red tip with its fix task", async () => {
    const judge = createScriptedModel([verdictTurn(false)]);
    fleet = await createScriptedFleet({
      fleet: { ...fleetShape, cycles: 1 },
      tasksPerPlanner: 1,
      latencyMs: 0,
      models: { judge },
      signal,
    });
    const { board, runId } = fleet;
    const lease = await board.acquireQueueLease({ runId, owner: 'queue', ttlMs: 600_000 });
    const tip = 'eeee000001';
    const red = await board.recordCheckRun({
      runId,
      queueFence: lease!.fence,
      commit: tip,
      base: tip,
      entryIds: [],
      result: 'failed',
      flaky: false,
      durationMs: 10,
      output: 'test failed',
    });
    await board.appendEvent({
      runId,
      type: 'queue.red-tip',
      payload: { tip, checkRunId: red.id, fixTaskId: 'task_fix_outside', action: 'hold' },
    });
    await runFleet({ deps: fleet.deps, runId, signal });

    const briefing = JSON.stringify(judge.requests[0]?.messages);
    expect(briefing).toContain(
      'merge queue: 0 queued, 0 landed, 0 bounced; check runs: 1 (0 passed, 1 failed',
    );
    expect(briefing).toContain(
      `RED TIP eeee000001 from outside the queue fails the checks (check run ${red.id})`,
    );
    expect(briefing).toContain('fix task task_fix_outside, queue holds');
  }, 60_000);

  it('keeps a verdict whose settlement the board refused, and says so in the log and an event', async () => {
    const scripted = createScriptedModel([verdictTurn(false)]);
    const lines: string[] = [];
    // the judge's lease is taken away behind its back while it thinks, as a reaper would after a stall
    const judge: Model = {
      id: scripted.id,
      async generate(request, options) {
        const board = fleet?.board;
        if (!board || !fleet) throw new Error('no fleet');
        const [held] = await board.listTasks({ runId: fleet.runId, kind: 'judge', status: 'leased' });
        if (held) await board.release({ taskId: held.id, fence: held.fence });
        return scripted.generate(request, options);
      },
    };
    fleet = await createScriptedFleet({
      fleet: { ...fleetShape, cycles: 1 },
      tasksPerPlanner: 1,
      latencyMs: 0,
      models: { judge },
      signal,
    });
    fleet.deps.log = (line) => lines.push(line);
    const summary = await runFleet({ deps: fleet.deps, runId: fleet.runId, signal });

    expect(summary.status).toBe('done');
    expect(summary.cycles).toMatchObject([
      { n: 1, status: 'done', verdict: { continue: false, score: 0.5 } },
    ]);
    const unsettled = await fleet.board.readEvents({ runId: fleet.runId, types: ['agent.settle-failed'] });
    expect(unsettled).toHaveLength(1);
    expect(unsettled[0]?.payload).toMatchObject({ settlement: { type: 'complete' } });
    expect(lines.some((line) => /judge\) was not settled — it asked to complete/.test(line))).toBe(true);
  }, 60_000);
});
