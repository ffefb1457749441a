/** A token count in short form: 950, 12.3k, 4.56M. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(1)}k`;
  return `${(tokens / 1_000_000).toFixed(2)}M`;
}

/** Dollars with enough digits for cheap runs. */
export function formatDollars(amount: number): string {
  return amount >= 100 ? `$${amount.toFixed(0)}` : `$${amount.toFixed(amount >= 1 ? 2 : 4)}`;
}

/** A wall-clock time of day. */
export function formatTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

/** The distinctive end of an id (`agent_00mx0h7xic0001mwkbto` → `…1mwkbto`). */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  return `…${id.slice(-7)}`;
}

/** A one-line preview of any value. */
export function preview(value: unknown, length = 160): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = (text ?? '').replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** An agent's use so far: what it stored when it ended, else what its model-call events add up to. */
export function agentTotals(agent: {
  usage: unknown;
  liveUsage: { steps: number; inputTokens: number; outputTokens: number; costUsd: number };
}): { tokens: number; costUsd: number; steps: number } {
  const stored = (agent.usage ?? {}) as {
    steps?: number;
    costUsd?: number;
    usage?: { inputTokens?: number; outputTokens?: number };
  };
  const live = agent.liveUsage;
  return {
    tokens: Math.max(
      (stored.usage?.inputTokens ?? 0) + (stored.usage?.outputTokens ?? 0),
      live.inputTokens + live.outputTokens,
    ),
    costUsd: Math.max(stored.costUsd ?? 0, live.costUsd),
    steps: Math.max(stored.steps ?? 0, live.steps),
  };
}
