import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose, expectEachTaskLandedOnce } from './__fixtures__/real-http-checks.ts';
import { runRealHttpFleet } from './__fixtures__/real-http-fleet.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cadre-engine-fleet-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const realScratch = realpathSync(scratch);

const engines = ['engine:claude-code/claude-sonnet-4-5', 'engine:codex/gpt-5.2'];
/** One cycle on the anthropic wire (planners, judge) with the two engines as workers. */
const engineFleet = {
  wire: 'anthropic',
  scratch,
  cycles: 1,
  rolePlay: { stopAtCycle: 1 },
  rawChains: { worker: engines },
  env: (baseURL: string) => ({ OPENAI_API_KEY: 'fake-openai-key', OPENAI_BASE_URL: baseURL }),
  deadlineMs: 240_000,
} as const;

/** Host pids of the Claude Code programs running under this test's scratch directory. */
function claudeProcesses(): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const isClaude =
        command.some((part) => part.endsWith('claude.exe')) && command.includes('--output-format');
      // the program runs in its worktree, bound into the sandbox at the same path
      return isClaude && readlinkSync(`/proc/${entry}/cwd`).startsWith(realScratch) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

// The real programs: Claude Code and Codex from node_modules, each in bubblewrap with only the local
// protocol server reachable, driven by the worker's briefing; planners and the judge are cadre's own.
describe.concurrent('a fleet whose workers are Claude Code and Codex', () => {
  it('lands every task once through the real lander, and status counts what the server served', async () => {
    const run = await runRealHttpFleet({ ...engineFleet, fleet: { workers: 4, planners: 1 } });
    const why = diagnose(run);
    expect(run.code, why).toBe(0);
    expectEachTaskLandedOnce(run);
    const workers = run.events.flatMap((event) =>
      event.type === 'agent.registered' && event.payload.role === 'worker' ? [event.payload.model] : [],
    );
    expect(new Set(workers), why).toEqual(
      new Set(['engine:claude-code/claude-sonnet-4-5', 'engine:codex/gpt-5.2']),
    );
    // both programs really called the server, each in its own protocol
    const engineRequests = run.server.requests.filter(
      (request) =>
        request.protocol !== 'anthropic-messages' ||
        JSON.stringify(request.body.tools ?? []).includes('"Write"'),
    );
    expect(new Set(engineRequests.map((request) => request.protocol))).toEqual(
      new Set(['anthropic-messages', 'openai-responses']),
    );
    const served = run.served.byRole['engine-worker'];
    const counted = run.status?.usage.byRole.worker;
    expect({ inputTokens: counted?.inputTokens, outputTokens: counted?.outputTokens }, why).toEqual({
      inputTokens: served?.inputTokens,
      outputTokens: served?.outputTokens,
    });
    expect(run.served.byRole.unknown, 'requests no role answers').toBeUndefined();
  }, 280_000);

  it('loses nothing when an engine program is SIGKILLed mid-call: its task is given back and redone', async () => {
    let killed = 0;
    const run = await runRealHttpFleet({
      ...engineFleet,
      fleet: { workers: 2, planners: 1 },
      // the first request of a Claude Code worker: kill the program while it waits for the answer (a task's
      // attempts count the tries that failed)
      faults: (request) => {
        if (killed > 0 || !JSON.stringify(request.body.tools ?? []).includes('"Write"')) return null;
        for (const pid of claudeProcesses()) {
          process.kill(pid, 'SIGKILL');
          killed++;
        }
        return killed > 0 ? { type: 'hang' } : null;
      },
    });
    const why = diagnose(run);
    expect(killed, why).toBe(1);
    expect(run.code, why).toBe(0);
    expectEachTaskLandedOnce(run);
    const failed = run.events.filter(
      (event) => event.type === 'agent.agent-ended' && event.payload.reason.type === 'engine-failed',
    );
    expect(failed.length, why).toBe(1);
    const redone = run.tasks.filter((task) => task.kind === 'work' && task.attempts >= 1);
    expect(redone.length, why).toBe(1);
  }, 280_000);
});
