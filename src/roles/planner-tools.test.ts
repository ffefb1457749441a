import { afterAll, describe, expect, it } from 'vitest';
import { createToolCounters, parseToolConfig, type Tool, type ToolOutcome } from '../agent/index.ts';
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
const detailsOf = (outcome: ToolOutcome) =>
  outcome.type === 'success' || outcome.type === 'tool-error' ? outcome.details : null;
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
    expect((await call(tools, 'read_handoffs', {})).output).toBe(
      'no new handoffs (wait_for_changes waits for the next)',
    );
    expect(state.filed).toHaveLength(1);
    await board.close();
  });
});

describe('list_tasks', () => {
  it('pages through the current cycle even when more than 10,000 older tasks come first', async () => {
    const board = openSqliteBoard({ path: temp.path() });
    try {
      const run = await board.createRun({ goal: 'a long run' });
      const old = await board.createCycle({ runId: run.id });
      await board.createTasks(
        Array.from({ length: 10_050 }, (_, index) => ({
          runId: run.id,
          cycleId: old.id,
          kind: 'work' as const,
          title: `old task ${index}`,
          scope: ['src/api/old.ts'],
        })),
      );
      const current = await board.createCycle({ runId: run.id });
      const [plan] = await board.createTasks([
        { runId: run.id, cycleId: current.id, kind: 'plan', title: 'plan', scope: ['src/**'] },
      ]);
      const fresh = await board.createTasks(
        ['api one', 'api two', 'api three', 'ui one'].map((title) => ({
          runId: run.id,
          cycleId: current.id,
          kind: 'work' as const,
          title,
          scope: [title.startsWith('api') ? 'src/api/x.ts' : 'src/ui/x.ts'],
        })),
      );
      const lease = await board.claim({ owner: 'worker-1', ttlMs: 60_000, filter: { kinds: ['work'] } });
      // the claim takes the oldest open work task, which is one of the old cycle's
      expect(lease?.taskId).not.toBe(fresh[0]?.id);
      const { tools } = createPlannerTools({
        board,
        planTask: plan!,
        depth: 0,
        limits: { maxDepth: 1, maxSubplanners: 2, maxTasks: 5 },
      });

      const first = await call(tools, 'list_tasks', { limit: 2 });
      const lines = first.output.split('\n');
      expect(lines[0]).toBe(
        'counts: 5 open, 0 leased, 0 done, 0 failed, 0 cancelled | you filed 0 tasks and 0 sub-planners',
      );
      expect(lines[1]).toBe('total: 5 (this cycle, under src/, all statuses); 2 shown');
      expect(lines[2]).toMatch(new RegExp(`^${plan!.id} \\[open\\] plan p0: plan`));
      expect(lines[3]).toContain('api one');
      expect(detailsOf(first)).toMatchObject({ total: 5, nextCursor: fresh[0]!.id });
      const second = await call(tools, 'list_tasks', { limit: 2, cursor: fresh[0]!.id });
      expect(second.output).toContain('api two');
      expect(second.output).toContain('api three');
      const last = await call(tools, 'list_tasks', { limit: 2, cursor: fresh[2]!.id });
      expect(detailsOf(last)).toMatchObject({ nextCursor: null });
      expect(last.output).toContain('ui one');
      expect(last.output).toContain('nextCursor: none (last page)');

      const underApi = await call(tools, 'list_tasks', { scope: 'src/api' });
      expect(detailsOf(underApi)).toMatchObject({ total: 3, count: 3 });
      const older = await call(tools, 'list_tasks', { cycle: 1, status: 'leased', limit: 5 });
      expect(detailsOf(older)).toMatchObject({ total: 1, count: 1 });
      expect((await call(tools, 'list_tasks', { cycle: 1, limit: 0 })).output).toMatch(
        /^counts: 10049 open, 1 leased/,
      );
      const missing = await call(tools, 'list_tasks', { cycle: 7 });
      expect(missing).toMatchObject({ type: 'tool-error' });
      expect(missing.output).toContain('there is no cycle 7; this run has cycles 1 to 2');
    } finally {
      await board.close();
    }
  });
});

describe('create_task', () => {
  it('refuses a repeat of an open, leased or done task of the cycle, naming it, and files it again after a failure', async () => {
    const board = openSqliteBoard({ path: temp.path() });
    try {
      const run = await board.createRun({ goal: 'no twins' });
      const cycle = await board.createCycle({ runId: run.id });
      const [plan] = await board.createTasks([
        { runId: run.id, cycleId: cycle.id, kind: 'plan', title: 'plan', scope: ['src/**'] },
      ]);
      const { tools, state } = createPlannerTools({
        board,
        planTask: plan!,
        depth: 0,
        limits: { maxDepth: 1, maxSubplanners: 2, maxTasks: 10 },
      });
      const task = (title: string, scope: string[]) => ({ title, spec: 's', acceptance: 'a', scope });
      const first = await call(tools, 'create_task', task('Add retry to the HTTP client', ['src/http/**']));
      const firstId = (detailsOf(first) as { taskId: string }).taskId;

      const twin = await call(tools, 'create_task', task('add retry to the http client.', ['src/http/**']));
      expect(twin).toMatchObject({ type: 'tool-error', details: { duplicateOf: firstId } });
      expect(twin.output).toContain(`this task already exists as ${firstId} [open]`);
      expect(twin.output).toContain('Move on to the next task');

      // the same title in another area is another task
      const elsewhere = await call(
        tools,
        'create_task',
        task('Add retry to the HTTP client', ['src/rpc/**']),
      );
      expect(elsewhere.type).toBe('success');

      // leased, then done: still a duplicate
      const lease = await board.claim({ owner: 'worker-1', ttlMs: 60_000, filter: { kinds: ['work'] } });
      expect(lease?.taskId).toBe(firstId);
      const whileLeased = await call(
        tools,
        'create_task',
        task('Add retry to the HTTP client', ['src/http/**']),
      );
      expect(whileLeased.output).toContain(`${firstId} [leased]`);
      await board.fail({ taskId: firstId, fence: lease!.fence, reason: 'gave up', retryable: false });
      const retry = await call(tools, 'create_task', task('Add retry to the HTTP client', ['src/http/**']));
      expect(retry.type).toBe('success');
      expect(state.filed).toHaveLength(3);

      const spawned = await call(tools, 'spawn_subplanner', { scope: ['src/ui/**'], brief: 'the UI' });
      const spawnedId = (detailsOf(spawned) as { taskId: string }).taskId;
      const again = await call(tools, 'spawn_subplanner', { scope: ['src/ui/**'], brief: 'the UI, again' });
      expect(again.output).toContain(`a sub-planner for src/ui/** already exists (${spawnedId}, open)`);
      expect(state.subplanners).toEqual([spawnedId]);

      const missing = await call(tools, 'create_task', {
        ...task('Depends on a ghost', ['src/x/**']),
        depends_on: ['task_zzzzzzzz'],
      });
      expect(missing.output).toContain('depends_on names task_zzzzzzzz, which is not a task');
    } finally {
      await board.close();
    }
  });
});
