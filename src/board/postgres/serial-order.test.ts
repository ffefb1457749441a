import { describe, expect, it } from 'vitest';
import { writeEvent } from '../operations/event-operations.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { type SentStatement, statementKind } from './postgres-runner.ts';
import { isSerialEquivalent } from './serial-order.ts';

/** One operation's statements: `o3` is another statement sent 3rd, `e5` an event insert sent 5th, `r1` a read of the log. */
function op(...codes: string[]): SentStatement[] {
  return codes.map((code) => ({
    at: Number(code.slice(1)),
    kind: code.startsWith('e')
      ? ('event-insert' as const)
      : code.startsWith('r')
        ? ('event-read' as const)
        : ('other' as const),
  }));
}

describe('isSerialEquivalent', () => {
  it('accepts claims whose updates and events interleave in the same order', () => {
    expect(isSerialEquivalent([op('o0', 'e3'), op('o1', 'e4'), op('o2', 'e5')])).toBe(true);
  });

  it('refuses events in another order than the changes they record', () => {
    expect(isSerialEquivalent([op('o0', 'e3'), op('o1', 'e2')])).toBe(false);
  });

  it('refuses an operation that sent two statements besides events', () => {
    expect(isSerialEquivalent([op('o0', 'o2', 'e4'), op('o1', 'e3')])).toBe(false);
  });

  it('lets a lone event append fall between others, but not inside a run of one operation', () => {
    expect(isSerialEquivalent([op('o0', 'e1', 'e2'), op('e3'), op('o4', 'e5')])).toBe(true);
    expect(isSerialEquivalent([op('o0', 'e1', 'e3'), op('e2')])).toBe(false);
  });

  it('refuses any read of the event log, which event inserts would not commute with', () => {
    expect(isSerialEquivalent([op('r0'), op('o1', 'e2')])).toBe(false);
  });

  it('accepts operations that sent nothing or only changed rows without events', () => {
    expect(isSerialEquivalent([op(), op('o0'), op('o1', 'e2')])).toBe(true);
  });
});

describe('statementKind', () => {
  it('knows the event insert the operations send, and nothing that reads the board besides', async () => {
    let text = '';
    const capture = {
      all: async (query: { compile: (dialect: 'postgres', shape: undefined) => { sql: string } }) => {
        text = query.compile('postgres', undefined).sql;
        return [{ seq: 1 }];
      },
    } as unknown as SqlRunner;
    await writeEvent(
      capture,
      { runId: 'run_aaaaaaaa', type: 'judge.stray-cancelled', payload: { reason: 'note' } },
      0,
    );
    expect(statementKind(text)).toBe('event-insert');
    expect(statementKind('insert into "events" ("run_id") select "id" from "runs"')).toBe('event-read');
    expect(statementKind('select * from "events" where "seq" > $1')).toBe('event-read');
    expect(statementKind('update "tasks" set "status" = $1')).toBe('other');
  });
});
