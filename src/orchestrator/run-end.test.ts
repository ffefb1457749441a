import { afterEach, describe, expect, it } from 'vitest';
import { createScriptedModel, type ScriptedTurn } from '../llm/testing/scripted-model.ts';
import { runFleet } from './run-fleet.ts';
import { createScriptedFleet, type ScriptedRoles } from './testing/scripted-fleet.ts';
import type { SimFleet } from './testing/sim-fleet.ts';

const signal = new AbortController().signal;

function failing(count: number, message: string): ScriptedTurn[] {
  return Array.from({ length: count }, () => ({
    type: 'error' as const,
    errorType: 'server' as const,
    message,
  }));
}

let fleet: SimFleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});

async function runWith(models: ScriptedRoles, cycles = 2) {
  fleet = await createScriptedFleet({
    fleet: { planners: 1, workers: 2, cycles, maxSubplanners: 0, maxPlannerDepth: 0 },
    tasksPerPlanner: 1,
    latencyMs: 0,
    models,
    signal,
  });
  const summary = await runFleet({ deps: fleet.deps, runId: fleet.runId, signal });
  const run = await fleet.board.getRun(fleet.runId);
  return { summary, run, board: fleet.board };
}

describe('how a run ends when its models fail or plan nothing', () => {
  it('fails a run in which no model ever answered, naming the last error', async () => {
    const planner = createScriptedModel(failing(10, 'upstream returned 503'));
    const worker = createScriptedModel(failing(10, 'upstream returned 503'));
    const judge = createScriptedModel(failing(10, 'upstream returned 503'));
    const { summary, run } = await runWith({ planner, worker, judge });

    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(
      /^no model answered: \d+ call\(s\) failed, the last with server: scripted:fake: upstream returned 503/,
    );
    expect(run.status).toBe('failed');
    // the plan task was tried and failed; nobody judged a cycle with nothing in it
    expect(planner.requests.length).toBeGreaterThan(0);
    expect(judge.requests).toHaveLength(0);
    expect(summary.cycles).toMatchObject([{ n: 1, status: 'failed', verdict: null }]);
  }, 60_000);

  it('fails the task of a planner cut off by its model; the tasks it filed still run and the summary says so', async () => {
    const planner = createScriptedModel([
      {
        type: 'tool-calls',
        toolCalls: [
          {
            name: 'create_task',
            input: {
              title: 'Add the feature module',
              spec: 'Write src/api/feature.ts exporting feature().',
              acceptance: 'src/api/feature.ts exists on the branch',
              scope: ['src/api/feature.ts'],
            },
          },
        ],
      },
      ...failing(1, 'the provider is overloaded'),
    ]);
    const { summary, board } = await runWith({ planner }, 1);

    expect(summary).toMatchObject({ status: 'done', reason: 'the judge ended the run after cycle 1' });
    const plans = await board.listTasks({ runId: summary.runId, kind: 'plan' });
    expect(plans).toHaveLength(1);
    expect(plans[0]?.status).toBe('failed');
    expect(plans[0]?.attempts).toBe(1);
    expect(plans[0]?.failureReason).toMatch(
      /ended before finish_planning \(model error \(server\): scripted:fake: the provider is overloaded\) after filing 1 task/,
    );
    const work = await board.listTasks({ runId: summary.runId, kind: 'work' });
    expect(work.map((task) => [task.title, task.status])).toEqual([['Add the feature module', 'done']]);
    expect(summary.notes).toHaveLength(1);
    expect(summary.notes[0]).toMatch(
      /^planner of "plan cycle 1" \(.+\) ended early: .*the rest of its plan was never filed/,
    );
  }, 60_000);

  it('says in the summary why work tasks failed, the commonest reason first', async () => {
    // the planner is the sim; every worker attempt ends on its model's error
    const worker = createScriptedModel(failing(20, 'the worker model is down'));
    const { summary, board } = await runWith({ worker }, 1);
    const failed = await board.listTasks({ runId: summary.runId, kind: 'work', status: 'failed' });
    expect(failed.length).toBeGreaterThan(0);
    expect(summary.notes.at(-1)).toMatch(
      new RegExp(`^${failed.length} work task\\(s\\) failed: ${failed.length} × .*the worker model is down`),
    );
  }, 60_000);

  it('fails a run whose first-cycle planners filed no task, quoting what they said, without judging', async () => {
    const planner = createScriptedModel([
      {
        type: 'tool-calls',
        toolCalls: [
          { name: 'finish_planning', input: { summary: 'The goal seems met already; nothing to file.' } },
        ],
      },
    ]);
    const { summary, run, board } = await runWith({ planner });

    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(
      /^the planners filed no tasks in cycle 1 \(plan cycle 1: done — The goal seems met already; nothing to file\.\)/,
    );
    expect(run.status).toBe('failed');
    expect(summary.cycles).toMatchObject([{ n: 1, status: 'failed', verdict: null }]);
    expect(await board.listTasks({ runId: summary.runId, kind: 'judge' })).toEqual([]);
  }, 60_000);
});
