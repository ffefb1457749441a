/**
 * What the allow-list proxy did with one request. `failed` is a request the allow-list let through
 * whose upstream could not be reached (no such name, connection refused, timed out).
 */
export type NetworkDecision =
  | { type: 'allowed'; host: string; port: number; method: string; at: number }
  | { type: 'refused'; host: string; port: number; reason: string; at: number }
  | { type: 'failed'; host: string; port: number; reason: string; at: number };

/** The newest decisions, oldest first, holding at most a fixed number. */
export interface DecisionLog {
  record(decision: NetworkDecision): void;
  /** A copy: later records do not change an array already handed out. */
  list(): readonly NetworkDecision[];
}

/** Creates a decision log that forgets the oldest entry once it holds `capacity` of them. */
export function createDecisionLog(capacity: number): DecisionLog {
  const decisions: NetworkDecision[] = [];
  return {
    record(decision) {
      decisions.push(decision);
      if (decisions.length > capacity) decisions.splice(0, decisions.length - capacity);
    },
    list: () => [...decisions],
  };
}
