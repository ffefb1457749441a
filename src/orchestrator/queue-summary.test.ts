import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteBoard, type TaskBoard } from '../board/index.ts';
import { createTempBoardDirectory } from '../board/testing/temp-board.ts';
import type { CheckRunResult } from '../protocol/index.ts';
import { readQueueSummary } from './queue-summary.ts';
import { formatQueueSummary } from './queue-summary-format.ts';

const directory = createTempBoardDirectory('cadre-queue-summary-');
afterAll(() => directory.cleanup());

const tip = 'aaaa000000';

let board: TaskBoard;
let runId: string;
let queueFence: number;
beforeEach(async () => {
  board = openSqliteBoard({ path: directory.path() });
  runId = (await board.createRun({ goal: 'land through the queue' })).id;
  return () => board.close();
});

/** Leases a fresh work task and submits its change, as a worker does. */
async function submit(commit: string) {
  const [task] = await board.createTasks([{ runId, kind: 'work', title: `change ${commit}` }]);
  const lease = await board.claim({ owner: 'worker', ttlMs: 600_000 });
  if (!task || lease?.taskId !== task.id) throw new Error('the task was not leased');
  return board.submitToQueue({
    taskId: lease.taskId,
    fence: lease.fence,
    agentId: 'worker',
    commit,
    base: tip,
    ref: `refs/cadre/queue/${lease.taskId}/${lease.fence}`,
    files: ['src/a.ts'],
  });
}

/** Records a check run as the queue's owner does. */
async function check(commit: string, entryIds: string[], result: CheckRunResult, fix = false) {
  return board.recordCheckRun({
    runId,
    queueFence,
    commit,
    base: entryIds.length === 0 ? commit : tip,
    entryIds,
    result,
    flaky: false,
    durationMs: 1200,
    output: result === 'passed' ? '' : 'test failed',
    ...(fix ? { fixTask: { runId, kind: 'work' as const, title: 'Make the checks pass again' } } : {}),
  });
}

const pushed = (commit: string, previousTip: string, entries: string[], checkRunId: string) =>
  board.appendEvent({ runId, type: 'queue.pushed', payload: { commit, previousTip, entries, checkRunId } });

describe('the merge queue summary of a run', () => {
  it('is null for a run that never used the queue', async () => {
    expect(await readQueueSummary(board, runId)).toBeNull();
  });

  it('counts depth, landings, bounces and check runs, and checks every push against its green run', async () => {
    const [first, second, third, fourth] = [
      await submit('bbbb000001'),
      await submit('bbbb000002'),
      await submit('bbbb000003'),
      await submit('bbbb000004'),
    ];
    if (!first || !second || !third || !fourth) throw new Error('no entries');
    queueFence = (await board.acquireQueueLease({ runId, owner: 'queue', ttlMs: 600_000 }))!.fence;
    const settle = (entryId: string, outcome: Parameters<TaskBoard['settleQueueEntry']>[0]['outcome']) =>
      board.settleQueueEntry({ entryId, queueFence, outcome });

    // the batch of three fails, its first two pass and land, the third is sent back
    await check(third.commit, [first.id, second.id, third.id], 'failed');
    const green = await check(second.commit, [first.id, second.id], 'passed');
    await pushed(second.commit, tip, [first.id, second.id], green.id);
    await settle(first.id, { type: 'landed', commit: first.commit, checkRunId: green.id });
    await settle(second.id, { type: 'landed', commit: second.commit, checkRunId: green.id });
    const red = await check(third.commit, [third.id], 'failed');
    await settle(third.id, { type: 'checks-failed', checkRunId: red.id, tip: second.commit });
    await check(fourth.commit, [fourth.id], 'timed-out');
    // the fourth worker submits again: its first entry is withdrawn, the new one waits
    await board.submitToQueue({ ...fourth, commit: 'bbbb000005', ref: `${fourth.ref}-again` });

    let summary = await readQueueSummary(board, runId);
    expect(summary).toEqual({
      depth: 1,
      landed: 2,
      bounced: {
        conflict: 0,
        'checks-failed': 1,
        'already-on-branch': 0,
        'already-landed': 0,
        'stale-fence': 0,
        withdrawn: 1,
      },
      checkRuns: { total: 4, passed: 1, failed: 2, timedOut: 1, flaky: 0 },
      pushes: 1,
      lastPush: {
        commit: second.commit,
        previousTip: tip,
        entries: 2,
        greenCheckRunId: green.id,
        at: expect.any(Number),
      },
      redTip: null,
      held: null,
      pushedWithoutGreenRun: 0,
    });
    expect(formatQueueSummary(summary!)).toBe(
      [
        'merge queue: 1 queued, 2 landed, 2 bounced (1 failing the checks, 1 withdrawn); ' +
          'check runs: 4 (1 passed, 2 failed, 1 timed out, 0 flaky)',
        `  last push bbbb000002 (2 changes), green check run ${green.id}; every push (1) has a green check run`,
      ].join('\n'),
    );

    // a commit pushed from outside the queue fails the checks: a red tip with its fix task, until a push
    const outside = 'cccc000001';
    const redTip = await check(outside, [], 'failed', true);
    await board.appendEvent({
      runId,
      type: 'queue.red-tip',
      payload: { tip: outside, checkRunId: redTip.id, fixTaskId: redTip.fixTaskId, action: 'hold' },
    });
    summary = await readQueueSummary(board, runId);
    expect(redTip.fixTaskId).toMatch(/^task_/);
    expect(summary?.redTip).toEqual({
      tip: outside,
      checkRunId: redTip.id,
      fixTaskId: redTip.fixTaskId,
      action: 'hold',
      at: expect.any(Number),
    });
    expect(formatQueueSummary(summary!).split('\n').at(-1)).toBe(
      `  RED TIP cccc000001 from outside the queue fails the checks (check run ${redTip.id}); ` +
        `fix task ${redTip.fixTaskId}, queue holds`,
    );

    // a push whose commit has no passed check run is counted, however the event names its run
    await pushed(fourth.commit, outside, [fourth.id], redTip.id);
    summary = await readQueueSummary(board, runId);
    expect(summary).toMatchObject({
      pushes: 2,
      pushedWithoutGreenRun: 1,
      redTip: null,
      lastPush: { commit: fourth.commit, greenCheckRunId: null },
    });
    expect(formatQueueSummary(summary!).split('\n')[1]).toBe(
      '  last push bbbb000004 (1 change), NO green check run; PUSHED WITHOUT A GREEN CHECK RUN: 1 of 2 pushes',
    );
  });

  it('clears a red tip when a later tip passes the checks', async () => {
    queueFence = (await board.acquireQueueLease({ runId, owner: 'queue', ttlMs: 600_000 }))!.fence;
    const red = await check('dddd000001', [], 'failed', true);
    await board.appendEvent({
      runId,
      type: 'queue.red-tip',
      payload: { tip: 'dddd000001', checkRunId: red.id, fixTaskId: red.fixTaskId, action: 'continue' },
    });
    expect((await readQueueSummary(board, runId))?.redTip?.tip).toBe('dddd000001');
    await check('dddd000002', [], 'passed');
    const summary = await readQueueSummary(board, runId);
    expect(summary).toMatchObject({ depth: 0, redTip: null, lastPush: null, pushes: 0 });
    expect(summary?.checkRuns).toEqual({ total: 2, passed: 1, failed: 1, timedOut: 0, flaky: 0 });
  });
});
