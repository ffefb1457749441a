import { describe, expect, it } from 'vitest';
import { queueBenchCheckCommand, runQueueBench } from './queue-bench.ts';
import { planQueueBenchChanges } from './queue-bench-changes.ts';

describe('cadre bench queue', () => {
  it('draws exactly the asked shares of bad and paired changes, the same for a seed', () => {
    const plan = planQueueBenchChanges({ changes: 200, badRate: 0.1, conflictRate: 0.05, seed: 7 });
    expect(plan.changes.filter((change) => change.bad)).toHaveLength(20);
    const pairs = plan.changes.flatMap((change) => (change.pair === null ? [] : [change.pair]));
    expect(pairs).toHaveLength(10);
    for (const pair of new Set(pairs)) expect(pairs.filter((value) => value === pair)).toHaveLength(2);
    expect(planQueueBenchChanges({ changes: 200, badRate: 0.1, conflictRate: 0.05, seed: 7 })).toEqual(plan);
    expect(queueBenchCheckCommand(2000)).toMatch(/^sleep 2; /);
    expect(queueBenchCheckCommand(50)).toMatch(/^sleep 0\.05; /);
  });

  it('lands every good change through the queue with no red tip, finds the bad one, and direct landing shows it red', async () => {
    const result = await runQueueBench({
      changes: 5,
      badRate: 1 / 5,
      conflictRate: 2 / 5,
      checkMs: 50,
      seed: 2,
      queue: { pollIntervalMs: 100 },
      signal: new AbortController().signal,
    });
    // seed 2: change 2 is bad, changes 0 and 3 edit the same line, so the pair's later one conflicts
    expect(result.bad_changes).toBe(1);
    expect(result.conflicting_changes).toBe(2);
    const { queue, one_check_per_change: oneCheck, direct_no_checks: direct } = result;

    expect(queue.red_tips).toBe(0);
    expect(queue.tips).toBeGreaterThan(0);
    expect(queue.culprits_found).toBe(1);
    expect(queue.good_changes_blamed).toBe(0);
    expect(queue.landed).toBe(4);
    // the pair's second change conflicted, was resolved and landed
    expect(queue.conflicts_resolved).toBeGreaterThanOrEqual(1);
    expect(queue.check_runs).toBeGreaterThan(0);
    expect(result.targets.queue_red_tips_0).toBe(true);
    expect(result.targets.every_bad_change_found).toBe(true);

    expect(oneCheck).toMatchObject({ landed: 4, red_tips: 0, culprits_found: 1, good_changes_blamed: 0 });
    // a conflict is found before the checks run: one check run per change, resolved ones included
    expect(oneCheck.conflicts_resolved).toBeGreaterThanOrEqual(1);
    expect(oneCheck.check_runs).toBe(5);

    expect(direct).toMatchObject({ landed: 5, culprits_found: 0, check_runs: 0 });
    expect(direct.tips).toBe(5);
    expect(direct.red_tips).toBeGreaterThan(0);
  }, 60_000);
});
