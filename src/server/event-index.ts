/**
 * A compact in-memory index of one run's event log: the seq, agent, task and type of every event as
 * parallel arrays, so that filtered pages (by agent, task or type prefix) are found without scanning
 * the board, whose reads filter only by run and exact type.
 */
export interface EventIndex {
  /** Adds an event; events must arrive in seq order. */
  add(event: { seq: number; agentId: string | null; taskId: string | null; type: string }): void;
  /** The positions in the run's log (ascending) of one page of matching events. */
  select(filter: EventFilter, cursor: EventCursor, limit: number): IndexSelection;
  /** The seq of the event at a position. */
  seqAt(position: number): number;
  /** How many events the index holds. */
  readonly size: number;
  /** The newest seq indexed, or 0. */
  readonly lastSeq: number;
}

/** Which events to select; a type ending in `*` matches as a prefix. */
export interface EventFilter {
  agentId?: string | undefined;
  taskId?: string | undefined;
  types?: readonly string[] | undefined;
}

/** Where a page starts: after a seq (oldest first), or the newest page just before a seq. */
export type EventCursor = { type: 'after'; seq: number } | { type: 'before'; seq: number };

/** The positions of a page and whether more events match beyond it either way. */
export interface IndexSelection {
  positions: number[];
  moreAfter: boolean;
  moreBefore: boolean;
}

/** A list of positions to walk: every event, or one agent's or task's. */
interface Candidates {
  length: number;
  at(index: number): number;
}

/** A predicate over type names, or null when every type matches. */
export function typeMatcher(types: readonly string[] | undefined): ((type: string) => boolean) | null {
  if (!types || types.length === 0) return null;
  const exact = new Set(types.filter((type) => !type.endsWith('*')));
  const prefixes = types.filter((type) => type.endsWith('*')).map((type) => type.slice(0, -1));
  return (type) => exact.has(type) || prefixes.some((prefix) => type.startsWith(prefix));
}

/** Creates an empty index. */
export function createEventIndex(): EventIndex {
  const seqs: number[] = [];
  const agentCodes: number[] = [];
  const taskCodes: number[] = [];
  const typeCodes: number[] = [];
  const codes = new Map<string, number>();
  const names: string[] = [];
  const byAgent = new Map<number, number[]>();
  const byTask = new Map<number, number[]>();
  const codeOf = (value: string) => {
    let found = codes.get(value);
    if (found === undefined) {
      found = names.length;
      names.push(value);
      codes.set(value, found);
    }
    return found;
  };
  const append = (map: Map<number, number[]>, key: number, position: number) => {
    const list = map.get(key);
    if (list) list.push(position);
    else map.set(key, [position]);
  };
  const everything: Candidates = { at: (index) => index, length: 0 };
  const fromList = (list: readonly number[]): Candidates => ({
    length: list.length,
    at: (index) => list[index] as number,
  });
  // the first index whose event's seq is greater than `seq` (binary search; seqs ascend)
  const firstAfter = (candidates: Candidates, seq: number) => {
    let low = 0;
    let high = candidates.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((seqs[candidates.at(middle)] as number) <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return {
    add(event) {
      const position = seqs.length;
      seqs.push(event.seq);
      const agent = event.agentId === null ? -1 : codeOf(event.agentId);
      const task = event.taskId === null ? -1 : codeOf(event.taskId);
      agentCodes.push(agent);
      taskCodes.push(task);
      typeCodes.push(codeOf(event.type));
      if (agent >= 0) append(byAgent, agent, position);
      if (task >= 0) append(byTask, task, position);
      everything.length = seqs.length;
    },
    select(filter, cursor, limit) {
      const none = { positions: [], moreAfter: false, moreBefore: false };
      const agent = filter.agentId === undefined ? undefined : codes.get(filter.agentId);
      const task = filter.taskId === undefined ? undefined : codes.get(filter.taskId);
      if (filter.agentId !== undefined && agent === undefined) return none;
      if (filter.taskId !== undefined && task === undefined) return none;
      const typeMatches = typeMatcher(filter.types);
      const matches = (position: number) =>
        (agent === undefined || agentCodes[position] === agent) &&
        (task === undefined || taskCodes[position] === task) &&
        (typeMatches === null || typeMatches(names[typeCodes[position] as number] as string));
      const lists = [agent, task]
        .map((key, which) => (key === undefined ? undefined : (which === 0 ? byAgent : byTask).get(key)))
        .filter((list): list is number[] => list !== undefined)
        .sort((left, right) => left.length - right.length);
      const candidates = lists[0] ? fromList(lists[0]) : everything;
      const positions: number[] = [];
      if (cursor.type === 'after') {
        let index = firstAfter(candidates, cursor.seq);
        for (; index < candidates.length && positions.length < limit; index++) {
          if (matches(candidates.at(index))) positions.push(candidates.at(index));
        }
        let moreAfter = false;
        for (; index < candidates.length && !moreAfter; index++) moreAfter = matches(candidates.at(index));
        return { positions, moreAfter, moreBefore: false };
      }
      let index = firstAfter(candidates, cursor.seq - 1) - 1;
      for (; index >= 0 && positions.length < limit; index--) {
        if (matches(candidates.at(index))) positions.push(candidates.at(index));
      }
      let moreBefore = false;
      for (; index >= 0 && !moreBefore; index--) moreBefore = matches(candidates.at(index));
      return { positions: positions.reverse(), moreAfter: false, moreBefore };
    },
    seqAt: (position) => seqs[position] as number,
    get size() {
      return seqs.length;
    },
    get lastSeq() {
      return seqs.at(-1) ?? 0;
    },
  };
}
