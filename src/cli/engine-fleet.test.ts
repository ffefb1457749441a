import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { roleOfRequest } from '../llm/testing/role-play/index.ts';
import { diagnose, expectEachTaskLandedOnce } from './__fixtures__/real-http-checks.ts';
import { runRealHttpFleet } from './__fixtures__/real-http-fleet.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cadre-engine-fleet-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const realScratch = realpathSync(scratch);

const engines = ['engine:claude-code/claude-sonnet-4-5', 'engine:codex/gpt-5.2'];
/** Dollars per million tokens of the models the run's requests name (the engines' and the role-player's). */
const testPrices: Record<string, { input: number; output: number }> = {
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'gpt-5.2': { input: 1.25, output: 10 },
  'role-play': { input: 0.5, output: 2 },
};

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

/** A scratch directory of one test's own: the tests run at once, and each kills only its own programs. */
function scratchOf(name: string): string {
  const directory = join(realScratch, name);
  mkdirSync(directory, { recursive: true });
  return directory;
}

/** Host pids of the Claude Code programs working under `directory`. */
function claudeProcesses(directory: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const isClaude =
        command.some((part) => part.endsWith('claude.exe')) && command.includes('--output-format');
      // the program runs in its worktree, bound into the sandbox at the same path
      return isClaude && readlinkSync(`/proc/${entry}/cwd`).startsWith(directory) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Faults for the server: at the first request of a Claude Code worker under `directory`, one Claude Code
 * program is SIGKILLed mid-run.
 */
function killFirstClaudeCall(directory: string) {
  let killed = 0;
  const faults = (request: { body: Record<string, unknown> }): null => {
    if (killed > 0 || !JSON.stringify(request.body.tools ?? []).includes('"Write"')) return null;
    // one program only, maybe not the one asking (nothing maps a request to its process): the request is
    // answered as usual, and a dead program never reads the answer
    const [pid] = claudeProcesses(directory);
    if (pid === undefined) return null;
    process.kill(pid, 'SIGKILL');
    killed++;
    return null;
  };
  return { faults, killed: () => killed };
}

// The real programs: Claude Code and Codex from node_modules, each in bubblewrap with only the local
// protocol server reachable, driven by the worker's briefing; planners and the judge are cadre's own.
describe.concurrent('a fleet whose workers are Claude Code and Codex', () => {
  it('lands every task once through the real lander, and status counts what the server served', async () => {
    const run = await runRealHttpFleet({
      ...engineFleet,
      scratch: scratchOf('mixed'),
      fleet: { workers: 4, planners: 1 },
      models: { pricing: testPrices },
    });
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
    // and the dollars: the engines' answers at the test prices, worked out from the ledger here
    let dollars = 0;
    for (const answer of run.server.ledger) {
      const request = run.server.requests[answer.requestIndex];
      if (request === undefined || roleOfRequest(request) !== 'engine-worker') continue;
      const price = testPrices[answer.model];
      expect(price, `no test price for ${answer.model}`).toBeDefined();
      expect(answer.usage.cachedInputTokens + answer.usage.cacheWriteTokens).toBe(0);
      dollars +=
        (answer.usage.inputTokens * (price?.input ?? 0) + answer.usage.outputTokens * (price?.output ?? 0)) /
        1e6;
    }
    expect(dollars).toBeGreaterThan(0);
    expect(counted?.costUsd, why).toBeCloseTo(dollars, 9);
  }, 280_000);

  it('loses nothing when an engine program is SIGKILLed mid-run: its task is given back and redone', async () => {
    const directory = scratchOf('killed');
    const killer = killFirstClaudeCall(directory);
    const run = await runRealHttpFleet({
      ...engineFleet,
      scratch: directory,
      fleet: { workers: 2, planners: 1 },
      faults: killer.faults,
    });
    const why = diagnose(run);
    expect(killer.killed(), why).toBe(1);
    expect(run.code, why).toBe(0);
    expectEachTaskLandedOnce(run);
    const failed = run.events.filter(
      (event) => event.type === 'agent.agent-ended' && event.payload.reason.type === 'engine-failed',
    );
    expect(failed.length, why).toBe(1);
    // a task's attempts count the tries that failed
    const redone = run.tasks.filter((task) => task.kind === 'work' && task.attempts >= 1);
    expect(redone.length, why).toBe(1);
  }, 280_000);

  it("falls back to the chain's model when the engine fails: cadre's loop finishes in the same worktree", async () => {
    const directory = scratchOf('fallback');
    const killer = killFirstClaudeCall(directory);
    const run = await runRealHttpFleet({
      ...engineFleet,
      scratch: directory,
      rawChains: { worker: ['engine:claude-code/claude-sonnet-4-5', 'anthropic:role-play'] },
      fleet: { workers: 2, planners: 1 },
      faults: killer.faults,
    });
    const why = diagnose(run);
    expect(killer.killed(), why).toBe(1);
    expect(run.code, why).toBe(0);
    expectEachTaskLandedOnce(run);
    const ended = run.events.flatMap((event) => (event.type === 'agent.agent-ended' ? [event] : []));
    const failed = ended.filter((event) => event.payload.reason.type === 'engine-failed');
    expect(failed.length, why).toBe(1);
    // the same agent went on with the model and completed: nothing was given back to the board
    const agentOf = failed[0]?.agentId;
    expect(
      ended.filter((event) => event.agentId === agentOf).map((event) => event.payload.reason.type),
    ).toEqual(['engine-failed', 'completed']);
    expect(
      run.tasks.filter((task) => task.kind === 'work' && task.attempts >= 1),
      why,
    ).toEqual([]);
    expect(run.served.byRole.worker?.answers ?? 0, why).toBeGreaterThan(0);
  }, 280_000);
});
