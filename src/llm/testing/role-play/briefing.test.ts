import { describe, expect, it } from 'vitest';
import { readBriefing } from './briefing.ts';

describe('readBriefing', () => {
  it('reads the facts block cadre appends', () => {
    const text = `prose\n<cadre-briefing>\n${JSON.stringify({
      type: 'worker',
      goal: 'g',
      runId: 'run_1',
      cycle: 2,
      maxCycles: 3,
      taskId: 'task_1',
      title: 'Add x',
      scope: ['src/x/**'],
    })}\n</cadre-briefing>`;
    expect(readBriefing(text)).toMatchObject({ type: 'worker', cycle: 2, maxCycles: 3, taskId: 'task_1' });
  });

  it('falls back to the prose when there is no block, as a model would read it', () => {
    const worker =
      'Goal of the run: add modules\nCycle 1 of at most 2.\n\nYour task (task_9, attempt 1): Add the thing\n\nScope:\n- src/core/**\n- src/core/index.ts\n';
    expect(readBriefing(worker)).toEqual({
      type: 'worker',
      goal: 'add modules',
      cycle: 1,
      maxCycles: 2,
      taskId: 'task_9',
      title: 'Add the thing',
      scope: ['src/core/**', 'src/core/index.ts'],
    });
    const planner =
      'Goal of the run: g\nCycle 2 of at most 2.\n\nYour scope:\n- the whole repository\n\nAt the top of your scope:\n- README.md\n- src/\n\nYour brief: b\n\nYou are a planner at depth 0 (sub-planners may go 1 deep).';
    expect(readBriefing(planner)).toMatchObject({
      type: 'planner',
      cycle: 2,
      scope: [],
      layout: ['README.md', 'src/'],
      maxDepth: 1,
    });
    const judge =
      'Goal of the run: g\nCycle 1 of at most 2.\n\nTasks: 3 done, 1 failed, 0 open, 0 cancelled.\n\nDiff stat:\n src/a.ts | 2 ++\n\nChecks:\n(none)';
    expect(readBriefing(judge)).toMatchObject({
      type: 'judge',
      tasks: { done: 3, failed: 1, open: 0 },
      diffStat: ' src/a.ts | 2 ++',
    });
  });

  it('is null for a message that briefs nobody, or a broken block with no prose behind it', () => {
    expect(readBriefing('hello')).toBeNull();
    expect(readBriefing('<cadre-briefing>{not json</cadre-briefing>')).toBeNull();
  });
});
