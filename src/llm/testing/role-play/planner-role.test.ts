import { describe, expect, it } from 'vitest';
import { briefingText, startConversation } from './conversation-builder.ts';
import { playPlanner, workInProgress } from './planner-role.ts';

const plannerTools = [
  'read_file',
  'list_dir',
  'create_task',
  'spawn_subplanner',
  'list_tasks',
  'read_handoffs',
  'wait_for_changes',
  'finish_planning',
];

function plannerBriefing(facts: Record<string, unknown>): string {
  return briefingText({
    type: 'planner',
    goal: 'helpers',
    runId: 'run_1',
    cycle: 1,
    maxCycles: 2,
    taskId: 'task_p',
    brief: 'Plan',
    previousVerdict: null,
    ...facts,
  });
}

const root = plannerBriefing({ scope: [], layout: ['README.md', 'src/'], depth: 0, maxDepth: 1 });

/** A root planner that has explored a repository with three areas under src/. */
function exploredRoot(tools = plannerTools) {
  const chat = startConversation(tools, root);
  chat.say(playPlanner(chat.context()));
  chat.results('api/\ncore/\nstorage/', '1\t# demo');
  return chat;
}

describe('the role-playing planner', () => {
  it('explores: lists the lone directory of its layout and reads the README in one turn', () => {
    const chat = startConversation(plannerTools, root);
    expect(playPlanner(chat.context())).toMatchObject({
      calls: [
        { name: 'list_dir', input: { path: 'src' } },
        { name: 'read_file', input: { path: 'README.md' } },
      ],
    });
  });

  it('hands the first of three areas to a sub-planner and files one task for each other area', () => {
    const turn = playPlanner(exploredRoot().context());
    expect(turn).toMatchObject({
      calls: [
        { name: 'spawn_subplanner', input: { scope: ['src/api/**'] } },
        {
          name: 'create_task',
          input: { title: 'Cycle 1: add the helper module to core', scope: ['src/core/**'] },
        },
        {
          name: 'create_task',
          input: { title: 'Cycle 1: add the helper module to storage', scope: ['src/storage/**'] },
        },
      ],
    });
  });

  it('files every area itself when sub-planners are not on offer, or depth is used up', () => {
    const turn = playPlanner(
      exploredRoot(plannerTools.filter((tool) => tool !== 'spawn_subplanner')).context(),
    );
    expect(turn.type === 'calls' && turn.calls.map((call) => call.name)).toEqual([
      'create_task',
      'create_task',
      'create_task',
    ]);
  });

  it('a sub-planner of a leaf area reads its index and files two distinct helpers there', () => {
    const briefing = plannerBriefing({ scope: ['src/api/**'], layout: ['index.ts'], depth: 1, maxDepth: 1 });
    const chat = startConversation(plannerTools, briefing);
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({
      calls: [{ name: 'read_file', input: { path: 'src/api/index.ts' } }],
    });
    chat.results("1\texport const area = 'api';");
    const turn = playPlanner(chat.context());
    expect(turn).toMatchObject({
      calls: [
        {
          name: 'create_task',
          input: { title: 'Cycle 1: add the helper 1 of 2 to api', scope: ['src/api/**'] },
        },
        {
          name: 'create_task',
          input: { title: 'Cycle 1: add the helper 2 of 2 to api', scope: ['src/api/**'] },
        },
      ],
    });
  });

  it('files again only what did not reach the board, then waits while work runs and finishes when it is done', () => {
    const chat = exploredRoot();
    chat.say(playPlanner(chat.context()));
    chat.results(
      'spawned sub-planner task task_s for src/api/**',
      { output: 'Invalid input for create_task:\n- title: Required', isError: null },
      'filed task_2: Cycle 1: add the helper module to storage',
    );
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({
      calls: [{ name: 'create_task', input: { scope: ['src/core/**'] } }],
    });
    chat.results('filed task_3: Cycle 1: add the helper module to core');
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({
      calls: [{ name: 'wait_for_changes', input: { timeout_s: 30 } }],
    });
    chat.results(
      '1 change after 3 s:\n- task_2 done\nWork tasks in your scope now: 0 open, 2 leased, 1 done, 0 failed, 0 cancelled.',
    );
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({ calls: [{ name: 'wait_for_changes' }] });
    chat.results(
      '2 changes after 5 s:\nWork tasks in your scope now: 0 open, 0 leased, 3 done, 0 failed, 0 cancelled.',
    );
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({ calls: [{ name: 'read_handoffs' }] });
    chat.results('## task_2 done: ...');
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({
      calls: [
        {
          name: 'finish_planning',
          input: { summary: 'Filed 2 task(s) and 1 sub-planner(s), one per area of my scope.' },
        },
      ],
    });
    chat.results('planning finished');
    expect(playPlanner(chat.context()).type).toBe('text');
  });

  it('counts a task refused as a duplicate as filed, and looks at the board once when it cannot wait', () => {
    const chat = exploredRoot(
      plannerTools.filter((tool) => tool !== 'wait_for_changes' && tool !== 'spawn_subplanner'),
    );
    chat.say(playPlanner(chat.context()));
    chat.results(
      'filed task_1',
      { output: 'Error: this task already exists as task_7 [open]', isError: null },
      'filed task_3',
    );
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({ calls: [{ name: 'list_tasks' }] });
    chat.results('counts: 1 open, 2 leased');
    expect(chat.say(playPlanner(chat.context()))).toMatchObject({ calls: [{ name: 'read_handoffs' }] });
  });

  it('reads open and running work from a wait or a listing', () => {
    expect(workInProgress('Work tasks in your scope now: 2 open, 1 leased, 0 done')).toBe(3);
    expect(workInProgress('counts: 0 open, 0 leased, 4 done')).toBe(0);
    expect(workInProgress('Nothing changed')).toBeNull();
  });
});
