import type { SimPolicy, SimTurn } from '../llm/index.ts';

/**
 * Tools that only look at the board while others work: a turn that calls nothing else is polling
 * (a planner checking how many tasks are open, or reading handoffs its sim policy then ignores, or
 * waiting for changes), not work.
 */
export const pollingToolNames: ReadonlySet<string> = new Set([
  'list_tasks',
  'read_handoffs',
  'wait_for_changes',
]);

/** Whether a turn only polls: it calls tools, and every one of them is a polling tool. */
export function isPollingTurn(turn: SimTurn): boolean {
  return (
    turn.type === 'tool-calls' &&
    turn.toolCalls.length > 0 &&
    turn.toolCalls.every((call) => pollingToolNames.has(call.name))
  );
}

/** Nominal time of one sim policy (role), in milliseconds, split into work and polling. */
export interface NominalTally {
  calls: number;
  pollingCalls: number;
  /** Latency the simulation drew for every answered call. */
  modelMs: number;
  /** The part of `modelMs` drawn for turns that only polled. */
  pollingMs: number;
  /** Main-thread time the policies themselves took to decide (the simulation's own cost, not cadre's). */
  policyMs: number;
}

/**
 * Counts the nominal time of the fleet from what the sim model drew, not from wall time around the
 * calls: wall time also holds the waits on an overloaded event loop and on the board's write queue,
 * which would make an overloaded fleet look busier.
 */
export interface WorkLedger {
  /** Wraps a policy so each answered call is counted under the policy's name. */
  observe(policy: SimPolicy): SimPolicy;
  /** Tallies by policy name (planner, worker, judge). */
  readonly byPolicy: ReadonlyMap<string, NominalTally>;
  /** Sums over every policy. */
  total(): NominalTally;
}

/** A fresh ledger; pass its `observe`d policies to the router in place of the plain ones. */
export function createWorkLedger(): WorkLedger {
  const byPolicy = new Map<string, NominalTally>();
  const tallyOf = (name: string): NominalTally => {
    const existing = byPolicy.get(name);
    if (existing) return existing;
    const created: NominalTally = { calls: 0, pollingCalls: 0, modelMs: 0, pollingMs: 0, policyMs: 0 };
    byPolicy.set(name, created);
    return created;
  };
  return {
    byPolicy,
    observe(policy) {
      const tally = tallyOf(policy.name);
      return {
        name: policy.name,
        description: policy.description,
        async respond(context) {
          const started = performance.now();
          const decided = policy.respond(context);
          // the built-in policies decide synchronously: this is their CPU on the event loop
          tally.policyMs += performance.now() - started;
          const turn = await decided;
          // counted once the turn exists: an aborted or failed call never reaches the policy
          tally.calls++;
          tally.modelMs += context.latencyMs;
          if (isPollingTurn(turn)) {
            tally.pollingCalls++;
            tally.pollingMs += context.latencyMs;
          }
          return turn;
        },
      };
    },
    total() {
      const sum: NominalTally = { calls: 0, pollingCalls: 0, modelMs: 0, pollingMs: 0, policyMs: 0 };
      for (const tally of byPolicy.values()) {
        sum.calls += tally.calls;
        sum.pollingCalls += tally.pollingCalls;
        sum.modelMs += tally.modelMs;
        sum.pollingMs += tally.pollingMs;
        sum.policyMs += tally.policyMs;
      }
      return sum;
    },
  };
}
