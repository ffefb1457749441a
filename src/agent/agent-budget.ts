import { z } from 'zod';
import type { AgentTotals, BudgetKind } from './agent-events.ts';

/** Limits of one agent; a missing limit is no limit. Checked between steps (wall time also during them). */
export const AgentBudget = z.strictObject({
  /**
   * Model calls for task steps (summaries of the context are not steps). Time a tool spends waiting
   * (`wait_for_changes`) costs no step beyond the call that asked for it: this is the budget that
   * bounds an agent that waits for hours.
   */
  maxSteps: z.int().positive().optional(),
  /** Input plus output tokens of every call, summaries included. */
  maxTokens: z.int().positive().optional(),
  /** Dollars of every priced call. */
  maxDollars: z.number().positive().optional(),
  /** Milliseconds since the agent started, paused and waiting time included; unset for agents that wait. */
  maxWallTimeMs: z.int().positive().optional(),
});
/** Limits of one agent. */
export type AgentBudget = z.infer<typeof AgentBudget>;

/** A limit that ran out: which one, the limit and what was used. */
export interface ExceededBudget {
  budget: BudgetKind;
  limit: number;
  used: number;
}

/** The first limit that is used up, or null while every limit has room. */
export function exceededBudget(
  budget: AgentBudget,
  totals: AgentTotals,
  elapsedMs: number,
): ExceededBudget | null {
  const tokens = totals.usage.inputTokens + totals.usage.outputTokens;
  const checks: Array<[BudgetKind, number | undefined, number]> = [
    ['steps', budget.maxSteps, totals.steps],
    ['tokens', budget.maxTokens, tokens],
    ['dollars', budget.maxDollars, totals.costUsd],
    ['wall-time', budget.maxWallTimeMs, elapsedMs],
  ];
  for (const [kind, limit, used] of checks) {
    if (limit !== undefined && used >= limit) return { budget: kind, limit, used };
  }
  return null;
}
