import type { EngineTurnRequest } from '../engine-adapter.ts';

/**
 * A turn request for launch and parser tests that need no real program: a prompt starting with a dash
 * (which must not be read as an option), a local base URL and 20 turns, with `overrides` on top.
 */
export function engineTurnRequest(
  overrides: Pick<EngineTurnRequest, 'programPath'> & Partial<EngineTurnRequest>,
): EngineTurnRequest {
  return {
    prompt: '-starts with a dash',
    sessionId: null,
    model: null,
    worktreePath: '/work/tree',
    stateDirectory: '/nonexistent',
    connection: { baseURL: 'http://127.0.0.1:9999/v1/', apiKey: 'sk-test' },
    maxTurns: 20,
    maxBudgetUsd: null,
    ...overrides,
  };
}
