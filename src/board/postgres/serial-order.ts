import type { SentStatement } from './postgres-runner.ts';

/**
 * True when a pipelined batch, whose operations' statements reached the server interleaved, had
 * the same effect as running its operations one after another — checked from the order the
 * statements were sent, after they ran and before COMMIT.
 *
 * The argument: an event insert only appends to `events`, which no other write statement reads,
 * so it commutes with every other statement. If each operation sent at most one other statement,
 * that statement is the operation's whole effect on the rest of the board, and each saw exactly
 * the effects of the operations whose statement ran before it: the batch equals running the
 * operations in the order of those statements. It remains to check that event seqs, drawn in
 * execution order, follow that same order, so that an event never precedes the event of a change
 * it may depend on. Operations with no other statement (a bare event append) take their place at
 * their first insert. Operations that failed without changing anything have no effect and are
 * left out. Anything else (a multi-statement operation such as a task batch, a read of `events`)
 * says no, and the batch reruns in order.
 */
export function isSerialEquivalent(operations: readonly (readonly SentStatement[])[]): boolean {
  const placed: { key: number; firstEvent: number; lastEvent: number }[] = [];
  // a lone event append commutes with everything but other events: it fits in any gap between them
  const loose: number[] = [];
  for (const statements of operations) {
    // the argument rests on event inserts commuting with everything else; a read of the log breaks it
    if (statements.some((statement) => statement.kind === 'event-read')) return false;
    const others = statements.filter((statement) => statement.kind === 'other');
    if (others.length > 1) return false;
    const events = statements.filter((statement) => statement.kind === 'event-insert');
    if (others.length === 0 && events.length === 1) {
      loose.push((events[0] as SentStatement).at);
      continue;
    }
    const key = others[0]?.at ?? events[0]?.at;
    if (key === undefined) continue;
    placed.push({
      key,
      firstEvent: events[0]?.at ?? Number.POSITIVE_INFINITY,
      lastEvent: events.at(-1)?.at ?? Number.NEGATIVE_INFINITY,
    });
  }
  placed.sort((a, b) => a.key - b.key);
  let lastEventSoFar = Number.NEGATIVE_INFINITY;
  const ranges: { first: number; last: number }[] = [];
  for (const operation of placed) {
    if (operation.firstEvent < lastEventSoFar) return false;
    lastEventSoFar = Math.max(lastEventSoFar, operation.lastEvent);
    if (operation.firstEvent < operation.lastEvent)
      ranges.push({ first: operation.firstEvent, last: operation.lastEvent });
  }
  // ranges are now disjoint and ascending; a loose append must not fall inside one
  return loose.every((at) => !insideAny(ranges, at));
}

function insideAny(ranges: readonly { first: number; last: number }[], at: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle] as { first: number; last: number };
    if (at < range.first) high = middle - 1;
    else if (at > range.last) low = middle + 1;
    else return true;
  }
  return false;
}
