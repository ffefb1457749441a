import type { Agent } from '../protocol/index.ts';
import type { UsageReport, UsageTotals } from './api-types.ts';

/** The zero of UsageTotals. */
export function emptyTotals(): UsageTotals {
  return {
    agents: 0,
    steps: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
  };
}

interface StoredTotals {
  steps?: number;
  usage?: Partial<Record<'inputTokens' | 'cachedInputTokens' | 'outputTokens' | 'reasoningTokens', number>>;
  costUsd?: number;
}

const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Adds one agent's stored totals (the `usage` column, AgentTotals once the agent has run) to a sum. */
export function addAgentUsage(sum: UsageTotals, usage: unknown): void {
  const totals = (usage ?? {}) as StoredTotals;
  sum.agents += 1;
  sum.steps += number(totals.steps);
  sum.inputTokens += number(totals.usage?.inputTokens);
  sum.cachedInputTokens += number(totals.usage?.cachedInputTokens);
  sum.outputTokens += number(totals.usage?.outputTokens);
  sum.reasoningTokens += number(totals.usage?.reasoningTokens);
  sum.costUsd += number(totals.costUsd);
}

/** Usage of a run's agents: in total, per role, and per agent (the costliest first). */
export function buildUsageReport(agents: readonly Agent[]): UsageReport {
  const total = emptyTotals();
  const byRole: Record<string, UsageTotals> = {};
  const byAgent: UsageReport['byAgent'] = [];
  for (const agent of agents) {
    addAgentUsage(total, agent.usage);
    byRole[agent.role] ??= emptyTotals();
    addAgentUsage(byRole[agent.role] as UsageTotals, agent.usage);
    const own = emptyTotals();
    addAgentUsage(own, agent.usage);
    byAgent.push({ ...own, agentId: agent.id, role: agent.role });
  }
  byAgent.sort(
    (left, right) =>
      right.costUsd - left.costUsd ||
      right.inputTokens + right.outputTokens - (left.inputTokens + left.outputTokens),
  );
  return { total, byRole, byAgent };
}

/** Agents counted by role, then status. */
export function countAgents(agents: readonly Agent[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const agent of agents) {
    const byStatus = counts[agent.role] ?? {};
    byStatus[agent.status] = (byStatus[agent.status] ?? 0) + 1;
    counts[agent.role] = byStatus;
  }
  return counts;
}

/** Landings counted per hour (start of the hour, epoch ms), oldest first. */
export function landingsPerHour(landings: readonly { at: number }[]): { hour: number; count: number }[] {
  const hourMs = 3_600_000;
  const counts = new Map<number, number>();
  for (const landing of landings) {
    const hour = Math.floor(landing.at / hourMs) * hourMs;
    counts.set(hour, (counts.get(hour) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([left], [right]) => left - right)
    .map(([hour, count]) => ({ hour, count }));
}
