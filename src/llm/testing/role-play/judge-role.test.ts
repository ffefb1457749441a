import { describe, expect, it } from 'vitest';
import { briefingText, startConversation } from './conversation-builder.ts';
import { firstChangedFile, judgeContinues, playJudge } from './judge-role.ts';

function judge(cycle: number, maxCycles = 2) {
  const briefing = briefingText({
    type: 'judge',
    goal: 'helpers',
    runId: 'run_1',
    cycle,
    maxCycles,
    tasks: { done: 3, failed: 1, open: 0, cancelled: 0 },
    commits: [{ commit: 'abc', subject: 'Add x' }],
    diffStat: ' src/core/task-1.ts | 5 +++++\n 1 file changed, 5 insertions(+)',
  });
  return startConversation(['read_file', 'list_dir', 'submit_verdict'], briefing);
}

describe('the role-playing judge', () => {
  it('reads a file the cycle changed, then continues after cycle 1', () => {
    const chat = judge(1);
    expect(chat.say(playJudge(chat.context()))).toMatchObject({
      calls: [{ name: 'read_file', input: { path: 'src/core/task-1.ts' } }],
    });
    chat.results('1\t// x');
    expect(chat.say(playJudge(chat.context()))).toMatchObject({
      calls: [
        { name: 'submit_verdict', input: { continue: true, score: 0.75, next_focus: [expect.any(String)] } },
      ],
    });
    chat.results('verdict recorded');
    expect(playJudge(chat.context()).type).toBe('text');
  });

  it('stops after cycle 2, and at the run limit before that', () => {
    for (const [cycle, maxCycles] of [
      [2, 5],
      [1, 1],
    ] as const) {
      const chat = judge(cycle, maxCycles);
      chat.say(playJudge(chat.context()));
      chat.results('1\t// x');
      expect(playJudge(chat.context())).toMatchObject({
        calls: [{ name: 'submit_verdict', input: { continue: false } }],
      });
    }
  });

  it('states its rule once: continue below stopAtCycle and below the run limit', () => {
    expect([1, 2, 3].map((cycle) => judgeContinues(cycle, 5))).toEqual([true, false, false]);
    expect(judgeContinues(2, 5, 3)).toBe(true);
    expect(firstChangedFile(' a/b.ts | 3 ++-\n')).toBe('a/b.ts');
    expect(firstChangedFile(' .../deep/b.ts | 3 ++-\n 1 file changed')).toBeNull();
  });
});
