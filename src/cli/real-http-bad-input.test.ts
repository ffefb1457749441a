import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../llm/testing/protocol-server/protocol-server.ts';
import { diagnose } from './__fixtures__/real-http-checks.ts';
import { runRealHttpFleet } from './__fixtures__/real-http-fleet.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cadre-real-http-bad-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A port of 127.0.0.1 that nothing listens on: bound by the OS, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was bound');
  return address.port;
}

// A missing API key is refused before the run starts (exit 2): see "a missing API key" in run-commands.test.ts.
describe.concurrent('cadre run over real HTTP given bad input: a clear end, never a hang', () => {
  it('a base URL that refuses connections: the run fails with one message naming the URL, exit 1', async () => {
    const port = await closedPort();
    const run = await runRealHttpFleet({
      wire: 'openai-chat',
      scratch,
      baseURL: `http://127.0.0.1:${port}/v1`,
      models: { retry: { maxElapsedMs: 2_000, initialDelayMs: 100, maxDelayMs: 500 } },
      deadlineMs: 60_000,
    });
    const why = diagnose(run);
    expect(run.timedOut, why).toBe(false);
    expect(run.code, why).toBe(1);
    expect(run.summary?.status, why).toBe('failed');
    expect(run.status?.run.status, why).toBe('failed');
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    const stated = `cadre: run ${run.summary?.runId} failed: no model answered: `;
    const line = run.stderr.split('\n').find((text) => text.startsWith(stated)) ?? '';
    expect(line, why).toContain(`cannot connect to ${url}: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(line, why).toContain('Check the models');
    expect(run.stderr.match(/no model answered/g), why).toHaveLength(1);
    expect(run.server.requests).toEqual([]);
  }, 90_000);

  it('a worker model that only ever answers text: each of its tasks fails as stuck, and the run ends', async () => {
    const text = 'I would add a helper module here, exporting one small function.';
    const faults: FaultInjector = (request) =>
      request.body.model === 'text-only' ? { type: 'text', text } : null;
    const maxAttempts = 2;
    const run = await runRealHttpFleet({
      wire: 'openai-chat',
      scratch,
      faults,
      chains: { worker: ['text-only'] },
      fleet: { maxAttempts },
      cycles: 1,
      deadlineMs: 90_000,
    });
    const why = diagnose(run);
    expect(run.timedOut, why).toBe(false);
    // an ordinary end, judged or failed, and never a crash
    expect([0, 1], why).toContain(run.code);
    expect(
      run.summary?.cycles.map((cycle) => cycle.n),
      why,
    ).toEqual([1]);
    const work = run.tasks.filter((task) => task.kind === 'work');
    expect(work.length, why).toBeGreaterThan(0);
    const stuck =
      /nothing landed: stuck: \d+ steps in a row without a tool call while the task is unfinished/;
    for (const task of work) {
      expect({ status: task.status, attempts: task.attempts }, why).toEqual({
        status: 'failed',
        attempts: maxAttempts,
      });
      expect(task.failureReason, why).toMatch(stuck);
    }
    expect(run.landedTaskIds).toEqual([]);
    expect(run.status?.tasks.failed, why).toBe(work.length);
    const failedInLog = run.log
      .split('\n')
      .filter((line) => line.includes(' task.failed ') && stuck.test(line));
    expect(failedInLog.length, run.log).toBe(work.length);
    // the stuck detector ends each attempt after a warning and one more idle step, not at the step budget
    const asked = run.server.requests.filter((request) => request.body.model === 'text-only').length;
    expect(asked, why).toBeLessThanOrEqual(work.length * maxAttempts * 4);
  }, 120_000);
});
