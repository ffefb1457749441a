import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToolCounters, parseToolConfig } from '../agent/index.ts';
import { openSqliteBoard } from '../board/index.ts';
import { createTempBoardDirectory } from '../board/testing/temp-board.ts';
import { parseBriefing } from './briefing.ts';
import { createPlannerSession, scopeLayout } from './planner-session.ts';

const temp = createTempBoardDirectory('cadre-planner-session-');
const worktree = mkdtempSync(join(tmpdir(), 'cadre-planner-worktree-'));
afterAll(() => {
  temp.cleanup();
  rmSync(worktree, { recursive: true, force: true });
});
mkdirSync(join(worktree, 'src', 'api'), { recursive: true });
mkdirSync(join(worktree, 'src', 'web'), { recursive: true });
mkdirSync(join(worktree, '.git'));
writeFileSync(join(worktree, 'README.md'), '# x\n');
writeFileSync(join(worktree, 'src', 'index.ts'), 'export {};\n');

describe('the planner briefing', () => {
  it('carries the top of the scope, as list_dir would show it, without hidden entries', async () => {
    expect(await scopeLayout(worktree, [])).toEqual(['README.md', 'src/']);
    expect(await scopeLayout(worktree, ['src/**'])).toEqual(['api/', 'index.ts', 'web/']);
    // a scope for work that does not exist yet has nothing to show
    expect(await scopeLayout(worktree, ['docs/**'])).toEqual([]);

    const board = openSqliteBoard({ path: temp.path() });
    try {
      const run = await board.createRun({ goal: 'plan the api' });
      const [plan] = await board.createTasks([
        { runId: run.id, kind: 'plan', title: 'plan src', scope: ['src/**'] },
      ]);
      const session = await createPlannerSession({
        board,
        task: plan!,
        lease: { taskId: plan!.id, runId: run.id, owner: 'agent_test01', fence: 1, expiresAt: 0 },
        prompt: {
          role: 'planner',
          text: 'Plan.',
          hash: '0123456789abcdef',
          path: 'prompts/planner.md',
          source: 'built-in',
        },
        readTools: [],
        goal: run.goal,
        cycle: 1,
        maxCycles: 1,
        limits: { maxDepth: 1, maxSubplanners: 2, maxTasks: 5 },
        previousVerdict: null,
        worktreePath: worktree,
      });
      expect(session.briefing).toContain('At the top of your scope:\n- api/\n- index.ts\n- web/');
      expect(parseBriefing(session.briefing)).toMatchObject({
        type: 'planner',
        layout: ['api/', 'index.ts', 'web/'],
      });
    } finally {
      await board.close();
    }
  });
});

describe('the planner session', () => {
  it('waits for changes that come after it began, not for what was already there', async () => {
    const board = openSqliteBoard({ path: temp.path() });
    try {
      const run = await board.createRun({ goal: 'wait for news' });
      const cycle = await board.createCycle({ runId: run.id });
      const [plan] = await board.createTasks([
        { runId: run.id, cycleId: cycle.id, kind: 'plan', title: 'plan src', scope: ['src/**'] },
      ]);
      const task = (title: string) => ({ runId: run.id, cycleId: cycle.id, kind: 'work' as const, title });
      const finish = async (title: string) => {
        await board.createTasks([{ ...task(title), scope: ['src/a.ts'] }]);
        const lease = await board.claim({ owner: 'worker-1', ttlMs: 60_000, filter: { kinds: ['work'] } });
        await board.complete({ taskId: lease!.taskId, fence: lease!.fence, handoff: `${title} handed off` });
      };
      await finish('Old news');
      const session = await createPlannerSession({
        board,
        task: plan!,
        lease: { taskId: plan!.id, runId: run.id, owner: 'agent_test01', fence: 1, expiresAt: 0 },
        prompt: {
          role: 'planner',
          text: 'Plan.',
          hash: '0123456789abcdef',
          path: 'p.md',
          source: 'built-in',
        },
        readTools: [],
        goal: run.goal,
        cycle: 1,
        maxCycles: 1,
        limits: { maxDepth: 1, maxSubplanners: 2, maxTasks: 5 },
        previousVerdict: null,
      });
      const wait = session.tools.find((tool) => tool.name === 'wait_for_changes');
      expect(wait).toMatchObject({ waits: true });
      const context = {
        worktreeRoot: worktree,
        signal: new AbortController().signal,
        counters: createToolCounters(),
        config: parseToolConfig({}),
      };
      const waiting = wait!.execute({ timeout_s: 600 }, context);
      await finish('Fresh news');
      const { output } = await waiting;
      expect(output).toContain('"Fresh news": leased → done — handoff: Fresh news handed off');
      expect(output).not.toContain('Old news');
    } finally {
      await board.close();
    }
  });
});
