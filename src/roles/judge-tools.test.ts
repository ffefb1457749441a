import { afterAll, describe, expect, it } from 'vitest';
import { createToolCounters, parseToolConfig } from '../agent/index.ts';
import { openSqliteBoard } from '../board/index.ts';
import { createTempBoardDirectory } from '../board/testing/temp-board.ts';
import { createJudgeTools } from './judge-tools.ts';

const temp = createTempBoardDirectory('cadre-judge-tools-');
afterAll(() => temp.cleanup());

const context = () => ({
  worktreeRoot: temp.directory,
  signal: new AbortController().signal,
  counters: createToolCounters(),
  config: parseToolConfig({}),
});

describe('judge tools', () => {
  it('record a verdict, and tell the judge what to fix in a malformed one', async () => {
    const { tools, state } = createJudgeTools();
    expect(tools.map((tool) => tool.name)).toEqual(['submit_verdict']);
    const [submit] = tools;
    const bad = await submit!.execute({ continue: true, score: 2, reasons: [] }, context());
    expect(bad.type).toBe('invalid-input');
    expect(bad.output).toContain('reasons');
    expect(bad.output).toContain('Fix the input and call the tool again.');
    const good = await submit!.execute(
      { continue: false, score: 1, reasons: ['all checks pass'] },
      context(),
    );
    expect(good.output).toContain('verdict recorded: stop at score 1');
    expect(state.verdict).toEqual({
      continue: false,
      score: 1,
      reasons: ['all checks pass'],
      next_focus: [],
    });
  });

  it('wait for changes anywhere in the judged cycle when given the board', async () => {
    const board = openSqliteBoard({ path: temp.path() });
    try {
      const run = await board.createRun({ goal: 'judge' });
      const cycle = await board.createCycle({ runId: run.id });
      const { tools } = createJudgeTools({
        board,
        runId: run.id,
        cycleId: cycle.id,
        agentId: null,
        ownTaskId: null,
        afterSeq: await board.lastEventSeq({ runId: run.id }),
      });
      const wait = tools.find((tool) => tool.name === 'wait_for_changes');
      expect(wait).toMatchObject({ waits: true });
      const waiting = wait!.execute({ timeout_s: 600 }, context());
      const [task] = await board.createTasks([
        { runId: run.id, cycleId: cycle.id, kind: 'work', title: 'Late landing', scope: ['docs/x.md'] },
      ]);
      const lease = await board.claim({ owner: 'worker-1', ttlMs: 60_000 });
      await board.fail({ taskId: task!.id, fence: lease!.fence, reason: 'checks failed', retryable: false });
      expect((await waiting).output).toContain(
        `- ${task!.id} "Late landing": leased → failed — reason: checks failed`,
      );
    } finally {
      await board.close();
    }
  });
});
