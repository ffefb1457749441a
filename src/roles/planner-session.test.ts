import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
