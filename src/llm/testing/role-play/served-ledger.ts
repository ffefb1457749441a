import type { ProtocolServer } from '../protocol-server/protocol-server.ts';
import { type RolePlayRole, roleOfRequest } from './role.ts';

/** Tokens a server reported over some of its answers. */
export interface ServedTotals {
  answers: number;
  inputTokens: number;
  outputTokens: number;
}

/** A server's ledger summed per role (read from each request's tools) and per model name. */
export interface ServedSummary {
  total: ServedTotals;
  byRole: Partial<Record<RolePlayRole, ServedTotals>>;
  byModel: Record<string, ServedTotals>;
}

function add(sum: ServedTotals | undefined, inputTokens: number, outputTokens: number): ServedTotals {
  const base = sum ?? { answers: 0, inputTokens: 0, outputTokens: 0 };
  return {
    answers: base.answers + 1,
    inputTokens: base.inputTokens + inputTokens,
    outputTokens: base.outputTokens + outputTokens,
  };
}

/** Sums what the server served, so a test can hold cadre's own usage accounting against it. */
export function summarizeServed(server: Pick<ProtocolServer, 'ledger' | 'requests'>): ServedSummary {
  const summary: ServedSummary = {
    total: { answers: 0, inputTokens: 0, outputTokens: 0 },
    byRole: {},
    byModel: {},
  };
  for (const answer of server.ledger) {
    const request = server.requests[answer.requestIndex];
    const role = request ? roleOfRequest(request) : 'unknown';
    const { inputTokens, outputTokens } = answer.usage;
    summary.total = add(summary.total, inputTokens, outputTokens);
    summary.byRole[role] = add(summary.byRole[role], inputTokens, outputTokens);
    summary.byModel[answer.model] = add(summary.byModel[answer.model], inputTokens, outputTokens);
  }
  return summary;
}
