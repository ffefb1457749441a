import { describe, expect, it } from 'vitest';
import { briefingText, startConversation } from './conversation-builder.ts';
import {
  asPlayed,
  type ImperfectionKind,
  imperfectionKinds,
  isImperfectTurn,
  playTurn,
} from './imperfection.ts';
import type { RoleTurn } from './role-turn.ts';
import { hashText } from './turn-seed.ts';

const tools = ['read_file', 'list_dir', 'write_file', 'land', 'handoff'];
const briefing = briefingText({
  type: 'worker',
  goal: 'g',
  runId: 'r',
  taskId: 'task_1',
  title: 't',
  scope: ['src/a/**'],
});
const land: RoleTurn = {
  type: 'calls',
  text: 'Landing.',
  calls: [{ name: 'land', input: { message: 'Add a module' } }],
};

/** Plays `land` spoiled by one kind, after a turn that read a file. */
function spoiled(kind: ImperfectionKind) {
  const chat = startConversation(tools, briefing);
  chat.say({ type: 'calls', text: '', calls: [{ name: 'read_file', input: { path: 'src/a/index.ts' } }] });
  chat.results('1\tx');
  // a seed list whose last roll is under any rate: the turn before was not imperfect
  return playTurn(land, chat.context(), 'worker', [0], { rate: 1, kinds: [kind] });
}

describe('imperfect turns', () => {
  it('never go wrong twice in a row, so every slip is followed by a recovery', () => {
    const seeds = Array.from({ length: 400 }, (_, index) => hashText(`turn ${index}`));
    const flags = seeds.map((_, index) => isImperfectTurn(seeds.slice(0, index + 1), 0.3));
    for (let index = 1; index < flags.length; index++) expect(flags[index] && flags[index - 1]).toBe(false);
    const share = flags.filter(Boolean).length / flags.length;
    // rolls under 0.3, minus those right after a slip
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.3);
    expect(seeds.every((_, index) => !isImperfectTurn(seeds.slice(0, index + 1), 0))).toBe(true);
  });

  it('are the same for the same conversation and seed', () => {
    const chat = startConversation(tools, briefing);
    const settings = { rate: 0.5, kinds: imperfectionKinds };
    const first = playTurn(land, chat.context(), 'worker', [hashText('x')], settings);
    expect(playTurn(land, chat.context(), 'worker', [hashText('x')], settings)).toEqual(first);
  });

  it('each kind spoils the turn its own way', () => {
    expect(spoiled('text-only')).toMatchObject({ type: 'text', text: expect.stringContaining('land') });
    const malformed = spoiled('malformed-arguments');
    expect(
      malformed.type === 'calls' && (() => JSON.parse(malformed.calls[0]?.argumentsText ?? '')),
    ).toThrow();
    expect(spoiled('wrong-path')).toMatchObject({
      calls: [{ name: 'read_file', argumentsText: expect.stringMatching(/helpers-/) }],
    });
    expect(spoiled('unknown-tool')).toMatchObject({ calls: [{ name: 'bash' }] });
    expect(spoiled('repeated-call')).toMatchObject({
      calls: [{ name: 'read_file', argumentsText: '{"path":"src/a/index.ts"}' }],
    });
    expect(spoiled('truncated')).toMatchObject({ type: 'calls', truncated: true, calls: [{ name: 'land' }] });
    expect(spoiled('early-finish')).toMatchObject({
      calls: [{ name: 'handoff' }],
      imperfection: 'early-finish',
    });
  });

  it('a kind that does not fit the turn falls back to text only', () => {
    const chat = startConversation(tools, briefing);
    const planner = playTurn(land, chat.context(), 'planner', [0], { rate: 1, kinds: ['early-finish'] });
    expect(planner).toMatchObject({ type: 'text', imperfection: 'text-only' });
    // nothing read-only came before: there is nothing to repeat
    const repeat = playTurn(land, chat.context(), 'worker', [0], { rate: 1, kinds: ['repeated-call'] });
    expect(repeat).toMatchObject({ type: 'text', imperfection: 'text-only' });
  });

  it('with no kinds allowed every turn goes out as intended', () => {
    const chat = startConversation(tools, briefing);
    expect(playTurn(land, chat.context(), 'worker', [0], { rate: 1, kinds: [] })).toEqual(asPlayed(land));
  });
});
