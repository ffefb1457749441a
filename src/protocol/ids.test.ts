import { describe, expect, it } from 'vitest';
import { createIdGenerator, createSequentialIdGenerator, RunId, TaskId } from './ids.ts';

describe('ids', () => {
  it('sort in creation order, also within one millisecond and when the clock steps back', () => {
    const times = [5000, 5000, 5000, 4000, 6000];
    const ids = createIdGenerator(() => times.shift() ?? 0);
    const made = Array.from({ length: 5 }, () => ids('task'));
    expect([...made].sort()).toEqual(made);
    for (const id of made) expect(TaskId.safeParse(id).success).toBe(true);
  });

  it('do not collide across generators started in the same millisecond', () => {
    const first = createIdGenerator(() => 1);
    const second = createIdGenerator(() => 1);
    const made = new Set(Array.from({ length: 200 }, (_, index) => (index % 2 ? first : second)('run')));
    expect(made.size).toBe(200);
  });

  it('carry the prefix of their kind and are rejected for another kind', () => {
    const id = createSequentialIdGenerator()('run');
    expect(RunId.safeParse(id).success).toBe(true);
    expect(TaskId.safeParse(id).success).toBe(false);
    expect(TaskId.safeParse('task_../../etc').success).toBe(false);
  });
});
