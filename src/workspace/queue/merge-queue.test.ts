import { afterEach, describe, expect, it } from 'vitest';
import { brokenWordChecks, createQueueHarness, type QueueHarness } from '../testing/merge-queue-harness.ts';

let harness: QueueHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** Every commit the queue pushed has a passed check run of that exact commit on the board. */
async function expectEveryPushGreen(queue: QueueHarness): Promise<string[]> {
  const pushed = (await queue.queueEvents()).flatMap((event) =>
    event.type === 'queue.pushed' ? [event.payload.commit] : [],
  );
  const runs = await queue.checkRuns();
  for (const commit of pushed)
    expect(
      runs.some((run) => run.commit === commit && run.result === 'passed'),
      commit,
    ).toBe(true);
  return pushed;
}

function fileOnTip(queue: QueueHarness, path: string): string | null {
  try {
    return queue.repo.git(
      ['show', `main:${path}`],
      queue.hub.location.type === 'local' ? queue.hub.location.path : '',
    );
  } catch {
    return null;
  }
}

describe('merge queue', () => {
  it('lands a batch of good changes with few check runs, pushing only green-checked commits', async () => {
    harness = await createQueueHarness({ tasks: 5 });
    harness.startQueue();
    const queue = harness;
    const outcomes = await Promise.all(
      [0, 1, 2, 3, 4].map((index) => queue.land(index, { [`f${index}.txt`]: `${index}\n` })),
    );
    expect(outcomes.map((outcome) => outcome.type)).toEqual([
      'landed',
      'landed',
      'landed',
      'landed',
      'landed',
    ]);
    for (const index of [0, 1, 2, 3, 4]) expect(fileOnTip(queue, `f${index}.txt`)).toBe(`${index}\n`);
    const pushed = await expectEveryPushGreen(queue);
    const runs = await queue.checkRuns();
    // the tip once, then batches: fewer check runs than changes
    expect(runs.length).toBeLessThan(1 + outcomes.length);
    expect(pushed.length).toBeGreaterThan(0);
    const landings = await Promise.all(queue.leases.map((lease) => queue.board.getLanding(lease.taskId)));
    expect(landings.every((landing) => landing !== null)).toBe(true);
  });

  it('finds the one culprit of a red batch, sends it back with the output, and lands the rest', async () => {
    harness = await createQueueHarness({ tasks: 6 });
    harness.startQueue();
    const queue = harness;
    const outcomes = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((index) =>
        queue.land(index, { [`f${index}.txt`]: index === 2 ? 'BROKEN\n' : 'fine\n' }),
      ),
    );
    expect(outcomes[2]).toMatchObject({ type: 'checks-failed', checks: { type: 'failed' } });
    const failed = outcomes[2];
    if (failed?.type === 'checks-failed' && failed.checks.type === 'failed')
      expect(failed.checks.output).toContain('f2.txt');
    expect(outcomes.filter((outcome) => outcome.type === 'landed')).toHaveLength(5);
    expect(fileOnTip(queue, 'f2.txt')).toBeNull();
    await expectEveryPushGreen(queue);
  });

  it('finds two culprits in one batch', async () => {
    harness = await createQueueHarness({ tasks: 8, settings: { maxBatch: 8 } });
    harness.startQueue();
    const queue = harness;
    const broken = new Set([2, 5]);
    const outcomes = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((index) =>
        queue.land(index, { [`f${index}.txt`]: broken.has(index) ? 'BROKEN\n' : 'fine\n' }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.type)).toEqual([
      'landed',
      'landed',
      'checks-failed',
      'landed',
      'landed',
      'checks-failed',
      'landed',
      'landed',
    ]);
    await expectEveryPushGreen(queue);
  });

  it('lands a change whose failure passes on one retry, recorded as flaky', async () => {
    // fails the first time a slot sees FLAKY (the marker is ignored by git, so it outlives the slot's clean)
    const checks = 'if [ -f FLAKY ] && [ ! -f .seen ]; then touch .seen; echo "flaked"; exit 1; fi';
    harness = await createQueueHarness({ tasks: 1, checks, settings: { speculation: 1 } });
    harness.startQueue();
    const outcome = await harness.land(0, { FLAKY: 'x\n' });
    expect(outcome.type).toBe('landed');
    const runs = await harness.checkRuns();
    expect(runs.map((run) => [run.result, run.flaky])).toEqual([
      ['passed', false],
      ['failed', false],
      ['passed', true],
    ]);
  });

  it('sends a change that conflicts inside a batch back with a report once the other lands', async () => {
    harness = await createQueueHarness({ tasks: 3 });
    harness.startQueue();
    const queue = harness;
    const outcomes = await Promise.all([
      queue.land(0, { 'value.txt': 'alpha\n' }),
      queue.land(1, { 'value.txt': 'beta\n' }),
      queue.land(2, { 'other.txt': 'other\n' }),
    ]);
    expect(outcomes[2]?.type).toBe('landed');
    const types = [outcomes[0]?.type, outcomes[1]?.type].sort();
    expect(types).toEqual(['conflict', 'landed']);
    const loser = outcomes[0]?.type === 'conflict' ? 0 : 1;
    const conflict = outcomes[loser];
    if (conflict?.type !== 'conflict') throw new Error('expected a conflict');
    expect(conflict.report.files.map((file) => file.path)).toEqual(['value.txt']);
    await expectEveryPushGreen(queue);
  });

  it('turns a culprit whose worker is gone into a fix task carrying the output', async () => {
    harness = await createQueueHarness({
      tasks: 1,
      checks: `sleep 1; ${brokenWordChecks}`,
      settings: { flakyRetries: 0 },
    });
    const queue = harness;
    queue.startQueue();
    const landing = queue.land(0, { 'f0.txt': 'BROKEN\n' });
    // the worker dies while its change is checked: its lease runs out and the task is reopened
    await waitFor(async () =>
      (await queue.queueEvents()).some(
        (event) => event.type === 'queue.batch' && event.payload.purpose === 'batch',
      ),
    );
    expect((await queue.board.reap({ now: Date.now() + 3_600_000 })).reopened).toHaveLength(1);
    expect((await landing).type).toBe('checks-failed');
    const tasks = await queue.board.listTasks({ runId: queue.runId });
    const fix = tasks.find((task) => task.title.startsWith('Make the change of'));
    expect(fix?.spec).toContain('f0.txt');
    expect(fix?.spec).toContain('checks failed');
  });

  it('files exactly one fix task for a red tip pushed from outside, holds other changes, and lands the fix first', async () => {
    harness = await createQueueHarness({ tasks: 1 });
    const queue = harness;
    const first = queue.startQueue('first');
    const fixRun = await pushRedTipFromOutside(queue);
    await first.stop();
    queue.startQueue('second');
    const held = queue.land(0, { 'f0.txt': 'fine\n' });
    const fix = await queue.board.claim({ owner: 'fixer', ttlMs: 600_000, filter: { runId: queue.runId } });
    expect(fix?.taskId).toBe(fixRun.fixTaskId);
    const queuedEntries = () => queue.board.listQueueEntries({ runId: queue.runId, status: 'queued' });
    await waitFor(async () => (await queuedEntries()).length === 1);
    // held: a good change does not land on a red tip while the queue waits for the fix
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await queuedEntries()).map((entry) => entry.taskId)).toEqual([queue.leases[0]?.taskId]);
    if (!fix) throw new Error('no fix task');
    expect((await queue.land(fix, { 'bad.txt': 'fixed\n' })).type).toBe('landed');
    expect((await held).type).toBe('landed');
    const fixRuns = (await queue.checkRuns()).filter((run) => run.fixTaskId !== null);
    expect(fixRuns).toHaveLength(1);
    const events = (await queue.queueEvents()).map((event) => event.type);
    expect(events.filter((type) => type === 'queue.red-tip')).toHaveLength(1);
    // held once for the red tip, resumed by the fix's green push
    expect(events.filter((type) => type === 'queue.held' || type === 'queue.resumed')).toEqual([
      'queue.held',
      'queue.resumed',
    ]);
  });
});

describe('merge queue on a red tip in continue mode', () => {
  it('blames no change while the tip is red, and lands them with the fix', async () => {
    harness = await createQueueHarness({ tasks: 1, settings: { onRedTip: 'continue' } });
    const queue = harness;
    queue.startQueue();
    const fixRun = await pushRedTipFromOutside(queue);
    const good = queue.land(0, { 'f0.txt': 'fine\n' });
    // the good change is checked on the red tip, fails there, and waits unblamed
    await waitFor(async () => (await queue.checkRuns()).filter((run) => run.result === 'failed').length >= 2);
    const fix = await queue.board.claim({ owner: 'fixer', ttlMs: 600_000, filter: { runId: queue.runId } });
    expect(fix?.taskId).toBe(fixRun.fixTaskId);
    if (!fix) throw new Error('no fix task');
    expect((await queue.land(fix, { 'bad.txt': 'fixed\n' })).type).toBe('landed');
    expect((await good).type).toBe('landed');
    const settled = await queue.board.listQueueEntries({ runId: queue.runId, status: 'settled' });
    expect(settled.map((entry) => entry.outcome?.type)).toEqual(['landed', 'landed']);
  });
});

/** Once the queue has checked the seed tip, pushes a red commit to the branch past it; resolves with the red tip's check run. */
async function pushRedTipFromOutside(queue: QueueHarness) {
  await waitFor(async () => (await queue.checkRuns()).length === 1);
  const hubPath = queue.hub.location.type === 'local' ? queue.hub.location.path : '';
  const outside = `${queue.repo.directory}/outside`;
  queue.repo.git(['clone', '--quiet', hubPath, outside], queue.repo.directory);
  queue.repo.write('bad.txt', 'BROKEN\n', outside);
  queue.repo.commit('Pushed from outside the queue', outside);
  queue.repo.git(['push', '--quiet', 'origin', 'HEAD:main'], outside);
  return waitFor(async () => (await queue.checkRuns()).find((run) => run.fixTaskId !== null));
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
