import { describe, expect, it } from 'vitest';
import { createEventIndex } from './event-index.ts';

function indexOf(count: number) {
  const index = createEventIndex();
  for (let seq = 1; seq <= count; seq++) {
    index.add({
      // seqs of a run have gaps where other runs' events were appended
      seq: seq * 2,
      agentId: seq % 3 === 0 ? 'agent_aaaaaaaa' : null,
      taskId: seq % 5 === 0 ? 'task_bbbbbbbb' : null,
      type: seq % 2 === 0 ? 'agent.tool-call-started' : 'task.claimed',
    });
  }
  return index;
}

const seqsOf = (index: ReturnType<typeof createEventIndex>, positions: number[]) =>
  positions.map((position) => index.seqAt(position));

describe('createEventIndex', () => {
  it('pages forward after a seq and says whether more match', () => {
    const index = indexOf(30);
    const first = index.select({ agentId: 'agent_aaaaaaaa' }, { type: 'after', seq: 0 }, 4);
    expect(seqsOf(index, first.positions)).toEqual([6, 12, 18, 24]);
    expect(first.moreAfter).toBe(true);
    const rest = index.select({ agentId: 'agent_aaaaaaaa' }, { type: 'after', seq: 24 }, 100);
    expect(seqsOf(index, rest.positions)).toEqual([30, 36, 42, 48, 54, 60]);
    expect(rest.moreAfter).toBe(false);
  });

  it('pages backward before a seq, oldest first within the page', () => {
    const index = indexOf(30);
    const page = index.select({ agentId: 'agent_aaaaaaaa' }, { type: 'before', seq: 48 }, 2);
    expect(seqsOf(index, page.positions)).toEqual([36, 42]);
    expect(page.moreBefore).toBe(true);
  });

  it('intersects agent, task and type filters, with prefixes', () => {
    const index = indexOf(30);
    const both = index.select(
      { agentId: 'agent_aaaaaaaa', taskId: 'task_bbbbbbbb' },
      { type: 'after', seq: 0 },
      100,
    );
    expect(seqsOf(index, both.positions)).toEqual([30, 60]);
    const typed = index.select(
      { taskId: 'task_bbbbbbbb', types: ['agent.*'] },
      { type: 'after', seq: 0 },
      100,
    );
    expect(seqsOf(index, typed.positions)).toEqual([20, 40, 60]);
    const exact = index.select({ types: ['task.claimed'] }, { type: 'after', seq: 0 }, 3);
    expect(seqsOf(index, exact.positions)).toEqual([2, 6, 10]);
  });

  it('finds nothing for an agent it never saw', () => {
    const index = indexOf(10);
    expect(index.select({ agentId: 'agent_zzzzzzzz' }, { type: 'after', seq: 0 }, 10).positions).toEqual([]);
  });
});
