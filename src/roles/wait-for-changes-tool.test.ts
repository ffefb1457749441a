import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBoardInbox, createToolCounters, parseToolConfig, type ToolContext } from '../agent/index.ts';
import { runTestAgent } from '../agent/testing/run-test-agent.ts';
import { openSqliteBoard, type TaskBoard } from '../board/index.ts';
import { createTempBoardDirectory } from '../board/testing/temp-board.ts';
import { createScriptedModel } from '../llm/testing/scripted-model.ts';
import type { Cycle, Run, Task } from '../protocol/index.ts';
import { createWaitForChangesTool, type WaitForChangesOptions } from './wait-for-changes-tool.ts';

const temp = createTempBoardDirectory('cadre-wait-for-changes-');
afterAll(() => temp.cleanup());

const contextWith = (signal: AbortSignal): ToolContext => ({
  worktreeRoot: temp.directory,
  signal,
  counters: createToolCounters(),
  config: parseToolConfig({}),
});

/** A sleep the test ends by hand, so a wait's timeout passes exactly when the test says. */
function manualSleep() {
  const pending: Array<() => void> = [];
  return {
    sleep: (_milliseconds: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        pending.push(resolve);
      }),
    passTime: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

/** Resolves once `predicate` holds, checking between board round trips. */
async function until(predicate: () => boolean) {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('wait_for_changes', () => {
  let board: TaskBoard;
  let run: Run;
  let cycle: Cycle;
  let plan: Task;
  const time = manualSleep();

  beforeEach(async () => {
    board = openSqliteBoard({ path: temp.path(), followFallbackMs: 60_000 });
    run = await board.createRun({ goal: 'wait well' });
    cycle = await board.createCycle({ runId: run.id });
    [plan] = (await board.createTasks([
      { runId: run.id, cycleId: cycle.id, kind: 'plan', title: 'plan api', scope: ['src/api/**'] },
    ])) as [Task];
    await board.registerAgent({ id: 'agent_planner1', runId: run.id, role: 'planner', model: 'scripted' });
  });
  afterEach(async () => {
    time.passTime();
    await board.close();
  });

  const waitTool = async (extra: Partial<WaitForChangesOptions> = {}) =>
    createWaitForChangesTool({
      board,
      runId: run.id,
      cycleId: cycle.id,
      scope: plan.scope,
      agentId: 'agent_planner1',
      ownTaskId: plan.id,
      afterSeq: await board.lastEventSeq({ runId: run.id }),
      sleep: time.sleep,
      whenIdle: 'Nothing left: finish.',
      ...extra,
    });
  const work = (title: string, scope: string[], cycleId = cycle.id) =>
    board.createTasks([{ runId: run.id, cycleId, kind: 'work', title, scope }]);
  const finishNext = async (handoff: string) => {
    const lease = await board.claim({ owner: 'worker-1', ttlMs: 60_000, filter: { kinds: ['work'] } });
    await board.complete({ taskId: lease!.taskId, fence: lease!.fence, handoff });
    return lease!.taskId;
  };

  it('sleeps through claims and other areas, wakes on a finished task in scope with its handoff', async () => {
    const tool = await waitTool();
    const [other] = await work('Style the page', ['src/ui/page.css']);
    const [mine] = await work('Add routes', ['src/api/routes.ts']);
    const waiting = tool.execute({ timeout_s: 600 }, contextWith(new AbortController().signal));
    // the other area's task finishes first (it was filed first): that must not wake the wait
    expect(await finishNext('ui done')).toBe(other!.id);
    await finishNext('Done: routes added.\nLeft: auth on the routes.');
    const outcome = await waiting;
    expect(outcome.type).toBe('success');
    const { output } = outcome;
    expect(output).toMatch(/^3 changes after \d+ s:/);
    expect(output).toContain(`- ${mine!.id} "Add routes": new → open`);
    expect(output).toContain(`- ${mine!.id} "Add routes": open → leased`);
    expect(output).toContain(
      `- ${mine!.id} "Add routes": leased → done — handoff: Done: routes added. Left: auth on the routes.`,
    );
    expect(output).not.toContain('Style the page');
    expect(output).toContain(
      'Work tasks in your scope now: 0 open, 0 leased, 1 done, 0 failed, 0 cancelled.',
    );
    expect(output).toContain('Nothing left: finish.');

    // the cursor moved on: the same completion is not news twice
    const again = tool.execute({ timeout_s: 5 }, contextWith(new AbortController().signal));
    time.passTime();
    expect((await again).output).toMatch(/^Nothing changed in your scope in 5 s\./);
  });

  it('reports what happened meanwhile when it times out, but not the tasks the agent filed itself', async () => {
    const filed = new Set<string>();
    const tool = await waitTool({ filedByAgent: (taskId) => filed.has(taskId) });
    const [own] = await work('Add models', ['src/api/models.ts']);
    filed.add(own!.id);
    await work('Add a client', ['src/api/client.ts'], (await board.createCycle({ runId: run.id })).id);
    const [sibling] = await work('Add errors', ['src/api/errors.ts']);
    const waiting = tool.execute({ timeout_s: 0.2 }, contextWith(new AbortController().signal));
    time.passTime();
    const outcome = await waiting;
    // clamped to the shortest wait; a task filed by someone else in scope is reported, not woken on
    expect(outcome.output).toBe(
      [
        'No task in your scope finished in 1 s. Meanwhile:',
        `- ${sibling!.id} "Add errors": new → open`,
        'Work tasks in your scope now: 2 open, 0 leased, 0 done, 0 failed, 0 cancelled.',
      ].join('\n'),
    );
  });

  it('wakes on a message for the agent, and ends at once when the agent is stopped', async () => {
    const tool = await waitTool();
    const waiting = tool.execute({}, contextWith(new AbortController().signal));
    await board.sendMessage({
      recipient: { type: 'agent', runId: run.id, agentId: 'agent_planner1' },
      kind: 'steer',
      body: 'look at src/api/auth first',
    });
    expect((await waiting).output).toContain('a steer message arrived for you');

    const stop = new AbortController();
    const stopped = tool.execute({ timeout_s: 600 }, contextWith(stop.signal));
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort(new Error('stop requested'));
    expect(await stopped).toMatchObject({ type: 'aborted' });
  });

  it('lets a looping agent wait without a model call, and hands it the steer that woke it', async () => {
    const tool = await waitTool();
    const model = createScriptedModel([
      { type: 'tool-calls', toolCalls: [{ name: 'wait_for_changes', input: { timeout_s: 600 } }] },
      { type: 'text', text: 'Steer taken.' },
    ]);
    const looping = runTestAgent(model, {
      tools: [tool],
      task: 'Plan, then wait.',
      pollInbox: createBoardInbox(board, { type: 'agent', runId: run.id, agentId: 'agent_planner1' }),
      inboxPollIntervalMs: 10,
    });
    await until(() => model.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // still one model call while it waits
    expect(model.requests).toHaveLength(1);
    await board.sendMessage({
      recipient: { type: 'agent', runId: run.id, agentId: 'agent_planner1' },
      kind: 'steer',
      body: 'file the auth task now',
    });
    const { result } = await looping;
    expect(result.reason).toMatchObject({ type: 'completed' });
    const last = JSON.stringify(model.requests[1]?.messages.slice(-2));
    expect(last).toContain('a steer message arrived for you');
    expect(last).toContain('file the auth task now');
  });
});
