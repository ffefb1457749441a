import { describe, expect, it } from 'vitest';
import type { ClaimAudit } from './board-bench-claims.ts';
import { ratio, runBenchRounds } from './board-bench-rounds.ts';

function audit(changes: Partial<ClaimAudit> = {}): ClaimAudit {
  const clean = { tasks: 10, done: 10, completedMoreThanOnce: 0, doubleClaims: 0, notDone: 0, expired: 0 };
  return { ...clean, statusMismatches: 0, ...changes };
}

describe('board bench rounds', () => {
  it('keeps the best of each figure, sums every audit and prints a line a round', async () => {
    const lines: string[] = [];
    const figures = [
      { raw: 100, board: 40.4 },
      { raw: 80, board: 60.6 },
    ];
    const result = await runBenchRounds({
      rounds: 2,
      signal: new AbortController().signal,
      progress: (line) => lines.push(line),
      labels: { raw: 'raw', board: '2 processes' },
      measure: async (round) => ({
        figures: figures[round - 1] as { raw: number; board: number },
        audits: [audit({ notDone: round }), audit({ doubleClaims: 1, statusMismatches: 2 })],
      }),
    });
    expect(result.best).toEqual({ raw: 100, board: 60.6 });
    expect(result.audit).toEqual({ double_claims: 2, lost: 3, completed_twice: 0, status_mismatches: 4 });
    expect(lines).toEqual([
      'round 1/2: raw 100/s, 2 processes 40/s',
      'round 2/2: raw 80/s, 2 processes 61/s',
    ]);
  });

  it('stops before a round once aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const rounds = runBenchRounds({
      rounds: 1,
      signal: controller.signal,
      labels: { raw: 'raw' },
      measure: async () => ({ figures: { raw: 1 }, audits: [] }),
    });
    await expect(rounds).rejects.toThrow('stop');
  });

  it('reports ratios to three decimals', () => {
    expect(ratio(2, 3)).toBe(0.667);
  });
});
