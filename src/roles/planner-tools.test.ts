import { afterAll, describe, expect, it } from 'vitest';
import { createToolCounters, parseToolConfig, type Tool } from '../agent/index.ts';
import { openSqliteBoard } from '../board/index.ts';
import { createTempBoardDirectory } from '../board/testing/temp-board.ts';
import { createPlannerTools } from './planner-tools.ts';

const temp = createTempBoardDirectory('cadre-planner-tools-');
afterAll(() => temp.cleanup());

const context = {
  worktreeRoot: temp.directory,
  signal: new AbortController().signal,
  counters: createToolCounters(),
  config: parseToolConfig({}),
};
const call = async (tools: Tool[], name: string, input: unknown) => {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.execute(input, context);
};

describe('planner tools', () => {
  it('file tasks in scope, list them with counts, and read each handoff once', async () => {
    const board = openSqliteBoard({ path: temp.path() });
    const run = await board.createRun({ goal: 'plan' });
    const cycle = await board.createCycle({ runId: run.id });
    const [plan] = await board.createTasks([
      { runId: run.id, cycleId: cycle.id, kind: 'plan', title: 'plan api', scope: ['src/api/**'] },
    ]);
    const { tools, state } = createPlannerTools({
      board,
      planTask: plan!,
      depth: 1,
      limits: { maxDepth: 1, maxSubplanners: 2, maxTasks: 5 },
    });
    const filed = await call(tools, 'create_task', {
      title: 'Add routes',
      spec: 'Add the routes.',
      acceptance: 'tests pass',
      scope: ['src/api/routes.ts'],
    });
    expect(filed.type).toBe('success');
    const outside = await call(tools, 'create_task', {
      title: 'Touch the UI',
      spec: 'x',
      acceptance: 'y',
      scope: ['src/ui/app.ts'],
    });
    expect(outside).toMatchObject({ type: 'tool-error' });
    expect(outside.output).toMatch(/outside your scope/);
    const deeper = await call(tools, 'spawn_subplanner', { scope: ['src/api/v2/**'], brief: 'v2' });
    expect(deeper.output).toMatch(/nest 1 deep/);

    const lease = await board.claim({ owner: 'worker-1', ttlMs: 60_000, filter: { kinds: ['work'] } });
    await board.complete({ taskId: lease!.taskId, fence: lease!.fence, handoff: 'Done: routes added' });
    const listed = await call(tools, 'list_tasks', {});
    expect(listed.output.split('\n')[0]).toBe(
      // the planner's own plan task is the open one here (nobody claimed it in this test)
      'counts: 1 open, 0 leased, 1 done, 0 failed, 0 cancelled | you filed 1 tasks and 0 sub-planners',
    );
    const first = await call(tools, 'read_handoffs', {});
    expect(first.output).toContain('Done: routes added');
    expect((await call(tools, 'read_handoffs', {})).output).toBe('no new handoffs');
    expect(state.filed).toHaveLength(1);
    await board.close();
  });
});
