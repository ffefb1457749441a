import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentResult, createToolCounters, parseToolConfig, runToolCall } from '../agent/index.ts';
import type { CallTool } from '../engines/index.ts';
import type { Lease } from '../protocol/index.ts';
import { createGit, createLander, createWorktreeManager, openLocalHub } from '../workspace/index.ts';
import { createClaimedTasks } from '../workspace/testing/claimed-tasks.ts';
import { createTempRepo } from '../workspace/testing/temp-repo.ts';
import { engineGaveUpPrefix, finishEngineWork } from './engine-worker.ts';
import { createWorkerSession } from './worker-session.ts';

const repo = createTempRepo({ 'shared.txt': 'base\n' });
afterAll(() => repo.cleanup());
const signal = new AbortController().signal;
const git = createGit();
const prompt = {
  role: 'worker',
  text: 'You are a worker.',
  hash: '0'.repeat(16),
  path: 'worker.md',
  source: 'built-in' as const,
};

/** The result of an engine agent that ended with `text` as its answer. */
function completedWith(text: string): AgentResult {
  const usage = {
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  };
  return {
    reason: { type: 'completed', text },
    totals: { steps: 1, usage, costUsd: 0, unpricedCalls: 0 },
    counters: createToolCounters(),
    messages: [],
  };
}

/** A real hub, lander and two leased tasks, each worker session in its own worktree. */
async function setup() {
  const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
  const { board, leases } = await createClaimedTasks(join(repo.directory, `board-${Date.now()}.db`), 2);
  const worktrees = createWorktreeManager({
    hub,
    root: join(repo.directory, `worktrees-${Date.now()}`),
    git,
  });
  const lander = createLander({ hub, board, git });
  const worker = async (lease: Lease) => {
    const worktree = await worktrees.create({ label: lease.taskId, signal });
    const task = await board.getTask(lease.taskId);
    const session = createWorkerSession({
      task,
      lease,
      agentId: lease.owner,
      prompt,
      workspaceTools: [],
      worktreePath: worktree.path,
      lander,
      runChecks: false,
      goal: 'edit shared.txt',
      cycle: 1,
      maxCycles: 1,
    });
    const context = {
      worktreeRoot: worktree.path,
      counters: createToolCounters(),
      config: parseToolConfig(),
      signal,
    };
    let calls = 0;
    const callTool: CallTool = (name, input) =>
      runToolCall(session.tools, { id: `call-${++calls}`, name, input }, context);
    return { worktree, task, session, callTool };
  };
  return { hub, board, workers: await Promise.all(leases.map(worker)) };
}

describe('finishEngineWork: what a worker does with an engine answer, with the real lander', () => {
  it('hands a conflict back as the next message, then lands the resolution and hands off with the answer', async () => {
    const { hub, board, workers } = await setup();
    const [first, second] = workers;
    if (!first || !second) throw new Error('two workers expected');
    repo.write('shared.txt', 'first\n', first.worktree.path);
    expect(await finishEngineWork(first.session, first.task.title, 'Wrote first.', first.callTool)).toEqual({
      type: 'done',
    });

    repo.write('shared.txt', 'second\n', second.worktree.path);
    const conflicted = await finishEngineWork(
      second.session,
      second.task.title,
      'Wrote second.',
      second.callTool,
    );
    expect(conflicted.type).toBe('resume');
    const report = conflicted.type === 'resume' ? conflicted.message : '';
    expect(report).toContain('conflict in: shared.txt');
    expect(report).toMatch(/first[\s\S]*second|second[\s\S]*first/);
    expect(second.session.isFinished()).toBe(false);

    // the engine resolves the conflict in its worktree, as its resumed session is told to
    repo.write('shared.txt', 'first\nsecond\n', second.worktree.path);
    expect(
      await finishEngineWork(second.session, second.task.title, 'Merged both.', second.callTool),
    ).toEqual({ type: 'done' });
    expect(second.session.isFinished()).toBe(true);
    expect(repo.git(['show', `${hub.branch}:shared.txt`], hub.url)).toBe('first\nsecond\n');
    const settlement = second.session.settle(completedWith('Merged both.'));
    expect(settlement).toMatchObject({ type: 'complete', handoff: expect.stringContaining('Merged both.') });
    await board.close();
  });

  it('gives the task up when the answer opens with GAVE UP, landing nothing', async () => {
    const { hub, board, workers } = await setup();
    const [worker] = workers;
    if (!worker) throw new Error('a worker expected');
    const tip = repo.git(['rev-parse', hub.branch], hub.url);
    repo.write('shared.txt', 'half done\n', worker.worktree.path);
    const answer = `${engineGaveUpPrefix} the spec contradicts the tests`;
    expect(await finishEngineWork(worker.session, worker.task.title, answer, worker.callTool)).toEqual({
      type: 'done',
    });
    expect(repo.git(['rev-parse', hub.branch], hub.url)).toBe(tip);
    const settlement = worker.session.settle(completedWith(answer));
    expect(settlement).toMatchObject({
      type: 'fail',
      retryable: true,
      reason: expect.stringContaining('the spec contradicts the tests'),
    });
    await board.close();
  });
});
