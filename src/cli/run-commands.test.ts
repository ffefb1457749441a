import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteBoard } from '../board/index.ts';
import { createDemoRepository } from '../orchestrator/index.ts';
import { createGit, gitText } from '../workspace/index.ts';
import { finished, runCli, startCli } from './testing/run-cli.ts';

const git = createGit();
const signal = new AbortController().signal;
const scratch = mkdtempSync(join(tmpdir(), 'cadre-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const sim = ['--model', 'planner=sim:planner', '--model', 'worker=sim:worker', '--model', 'judge=sim:judge'];

async function newRepo(): Promise<string> {
  return createDemoRepository({ directory: join(scratch, `repo-${++count}`), git, signal });
}

describe('cadre run refuses bad input with one clear message, exit code 2, and writes nothing', () => {
  const cases: {
    name: string;
    args: (repo: string) => string[];
    prepare?: (repo: string) => void;
    message: RegExp;
    env?: NodeJS.ProcessEnv;
  }[] = [
    { name: 'no goal', args: () => ['run', ...sim], message: /give the goal with --goal/ },
    {
      name: 'a directory that is not a git repository',
      args: () => ['run', '--goal', 'x', '--repo', scratch, ...sim],
      message: /is not a git repository/,
    },
    {
      name: 'a dirty worktree',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: (repo) => writeFileSync(join(repo, 'README.md'), 'changed\n'),
      message: /uncommitted changes/,
    },
    {
      name: 'an unknown model id',
      args: () => ['run', '--goal', 'x', ...sim, '--model', 'worker=gpt-5'],
      message: /a model id looks like/,
    },
    {
      name: 'a config with a typo',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: (repo) => writeFileSync(join(repo, 'cadre.config.json'), '{ "fleet": { "wrokers": 3 } }'),
      message: /fleet: Unrecognized key.*wrokers/,
    },
    {
      name: 'a missing API key',
      args: () => ['run', '--goal', 'x', ...sim, '--model', 'worker=anthropic:claude-opus-4-5'],
      message: /set ANTHROPIC_API_KEY/,
      env: { ANTHROPIC_API_KEY: '' },
    },
    ...sandboxConfigCases(),
    ...setupConfigCases(),
    ...landingConfigCases(),
    ...engineCases(),
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const repo = await newRepo();
      testCase.prepare?.(repo);
      const result = await runCli(testCase.args(repo), { cwd: repo, env: testCase.env ?? {} });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(testCase.message);
      expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
      expect(existsSync(join(repo, '.cadre'))).toBe(false);
    });
  }
});

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('runs across processes', () => {
  it('a run killed with SIGKILL mid-cycle resumes with nothing lost and nothing landed twice', async () => {
    const repo = await newRepo();
    const boardPath = join(repo, '.cadre', 'board.db');
    const first = startCli(['run', '--goal', 'add modules', '--workers', '6', '--cycles', '2', ...sim], {
      cwd: repo,
    });
    const firstDone = finished(first);
    await waitFor('some landings', async () => {
      if (!existsSync(boardPath)) return null;
      const board = openSqliteBoard({ path: boardPath, create: false });
      try {
        const [run] = await board.listRuns({ limit: 1 });
        if (!run) return null;
        const landed = await board.readEvents({ runId: run.id, types: ['landing.recorded'] });
        return landed.length >= 3;
      } finally {
        await board.close();
      }
    });
    first.kill('SIGKILL');
    expect((await firstDone).signal).toBe('SIGKILL');

    const resumed = await runCli(['resume', '--json'], { cwd: repo });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout.trim().split('\n').at(-1) as string);
    expect(summary.status).toBe('done');
    expect(summary.recoveredLeases).toBeGreaterThanOrEqual(0);
    expect(summary.tasks).toMatchObject({ open: 0, leased: 0 });

    // both processes recorded how they sandboxed commands; usage is counted per role
    const status = await runCli(['status', '--json'], { cwd: repo });
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.sandboxes.length).toBeGreaterThanOrEqual(2);
    for (const { status: sandbox } of report.sandboxes) expect(sandbox.type).toBe('sandboxed');
    expect(report.usage.byRole.worker.steps).toBeGreaterThan(0);
    expect(report.usage.total.inputTokens).toBeGreaterThan(0);
    // direct landing (no checks configured): no merge queue to report
    expect(report.queue).toBeNull();

    const board = openSqliteBoard({ path: boardPath, create: false });
    try {
      const work = (await board.listTasks({ runId: summary.runId, kind: 'work', limit: 10_000 })).filter(
        (task) => task.status === 'done',
      );
      const log = await gitText(
        git,
        ['log', '--format=%(trailers:key=Cadre-Task,valueonly,separator=)', 'main'],
        {
          cwd: join(repo, '.cadre', 'hub.git'),
          signal,
        },
      );
      const landed = log.split('\n').filter(Boolean);
      expect(new Set(landed).size).toBe(landed.length);
      for (const task of work) expect(landed).toContain(task.id);
      expect(landed.length).toBe(work.length);
      // the result branch reached the user's repository
      expect(await gitText(git, ['rev-parse', `cadre/${summary.runId}`], { cwd: repo, signal })).toMatch(
        /^[0-9a-f]{40}$/,
      );
    } finally {
      await board.close();
    }
  }, 180_000);

  it('steer and stop from a second process reach the right agent', async () => {
    const repo = await newRepo();
    const boardPath = join(repo, '.cadre', 'board.db');
    writeFileSync(
      join(repo, 'cadre.config.json'),
      JSON.stringify({
        // slow steps: each worker lives a few seconds, longer than two CLI starts on a loaded machine
        models: { sim: { latency: { type: 'fixed', ms: 1500 } } },
        fleet: { workers: 4, cycles: 1 },
      }),
    );
    await git(['add', 'cadre.config.json'], { cwd: repo, signal });
    await git(['commit', '-q', '-m', 'config'], { cwd: repo, signal });
    const running = startCli(['run', '--goal', 'add modules', ...sim], { cwd: repo });
    const runDone = finished(running);
    const workers = await waitFor('two running workers', async () => {
      if (!existsSync(boardPath)) return null;
      const board = openSqliteBoard({ path: boardPath, create: false });
      try {
        const [run] = await board.listRuns({ limit: 1 });
        if (!run) return null;
        const live = (await board.listAgents({ runId: run.id })).filter(
          (agent) => agent.role === 'worker' && agent.status === 'running',
        );
        return live.length >= 2 ? live : null;
      } finally {
        await board.close();
      }
    });
    const [steered, stopped] = workers as [(typeof workers)[number], (typeof workers)[number]];
    const [steer, stop] = await Promise.all([
      runCli(['steer', steered.id, 'please also add a docstring'], { cwd: repo }),
      runCli(['stop', stopped.id], { cwd: repo }),
    ]);
    expect(steer.code, steer.stderr).toBe(0);
    expect(stop.code, stop.stderr).toBe(0);

    const board = openSqliteBoard({ path: boardPath, create: false });
    try {
      const steerEvent = await waitFor('the steer to arrive', async () => {
        const events = await board.readEvents({
          runId: steered.runId,
          types: ['agent.steer-received'],
          limit: 1000,
        });
        return events.find((event) => event.agentId === steered.id);
      });
      expect(steerEvent.type === 'agent.steer-received' && steerEvent.payload.text).toBe(
        'please also add a docstring',
      );
      const ended = await waitFor('the stopped agent to end', async () => {
        const events = await board.readEvents({
          runId: stopped.runId,
          types: ['agent.agent-ended'],
          limit: 1000,
        });
        return events.find((event) => event.agentId === stopped.id);
      });
      expect(ended.type === 'agent.agent-ended' && ended.payload.reason.type).toBe('stopped');
      const others = await board.readEvents({
        runId: steered.runId,
        types: ['agent.steer-received'],
        limit: 1000,
      });
      expect(others.every((event) => event.agentId === steered.id)).toBe(true);
    } finally {
      await board.close();
    }
    const stopRun = await runCli(['stop'], { cwd: repo });
    expect(stopRun.code).toBe(0);
    const result = await runDone;
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(repo, '.cadre', 'runs'))).toEqual([]);
  }, 180_000);
});

/** Sandbox settings that cannot work: each stops `cadre run` before anything is written. */
function sandboxConfigCases() {
  const withShell = (shell: object) => (repo: string) =>
    writeFileSync(join(repo, 'cadre.config.json'), JSON.stringify({ tools: { shell } }));
  return [
    {
      name: 'a sandbox path that does not exist',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withShell({ extraReadOnlyPaths: ['/nonexistent/cadre-cache'] }),
      message: /tools\.shell\.extraReadOnlyPaths: \/nonexistent\/cadre-cache does not exist/,
    },
    {
      name: 'a relative sandbox path',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withShell({ extraWritablePaths: ['cache'] }),
      message: /extraWritablePaths.*must be an absolute path/,
    },
    {
      name: '/ as a writable sandbox path',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withShell({ extraWritablePaths: ['/'] }),
      message: /extraWritablePaths.*must not be \//,
    },
    {
      name: 'a machine where bubblewrap cannot run, without allowUnsandboxed',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withShell({ bubblewrapPath: '/nonexistent/bwrap' }),
      message: /bubblewrap \(\/nonexistent\/bwrap\) is not installed.*allowUnsandboxed/,
    },
  ];
}

/** Engines that cannot run (unknown, not installed, too old, no key, the wrong role): each stops `cadre run` at start. */
function engineCases() {
  const withEngines = (engines: object) => (repo: string) =>
    writeFileSync(join(repo, 'cadre.config.json'), JSON.stringify({ models: { engines } }));
  const codex = ['run', '--goal', 'x', ...sim, '--model', 'worker=engine:codex/gpt-5.2'];
  const key = { OPENAI_API_KEY: 'fake-openai-key' };
  return [
    {
      name: 'an unknown engine',
      args: () => ['run', '--goal', 'x', ...sim, '--model', 'worker=engine:aider/gpt-5.2'],
      message: /unknown engine "aider".*known engines: claude-code, codex, opencode, gemini/,
    },
    {
      name: 'an engine whose program is not installed',
      args: () => codex,
      prepare: withEngines({ codex: { program: '/nonexistent/bin/codex' } }),
      message:
        /engine codex: its program "\/nonexistent\/bin\/codex" is not installed; install it with `npm install @openai\/codex`/,
      env: key,
    },
    {
      name: 'an engine whose program is too old',
      args: () => codex,
      prepare: (repo: string) => {
        // a stand-in for an old install: a program that prints an old version
        const program = join(repo, '..', `old-codex-${count}`);
        writeFileSync(program, '#!/bin/sh\necho "codex-cli 0.1.0"\n', { mode: 0o755 });
        withEngines({ codex: { program } })(repo);
      },
      message:
        /engine codex: .* is version 0\.1\.0, older than .*; upgrade with `npm install @openai\/codex@latest`/,
      env: key,
    },
    {
      name: 'an engine without its key',
      args: () => codex,
      message: /engine codex needs its key.*OPENAI_API_KEY/,
      env: { OPENAI_API_KEY: '' },
    },
    {
      name: 'an engine for the planners',
      args: () => [
        'run',
        '--goal',
        'x',
        '--model',
        'planner=engine:claude-code',
        '--model',
        'worker=sim:worker',
        '--model',
        'judge=sim:judge',
      ],
      message: /engines serve only worker/,
      env: { ANTHROPIC_API_KEY: 'fake-anthropic-key' },
    },
  ];
}

/** Landing settings that cannot work (the merge queue, the checks): each stops `cadre run` at start. */
function landingConfigCases() {
  const withLanding = (landing: object) => (repo: string) =>
    writeFileSync(join(repo, 'cadre.config.json'), JSON.stringify({ workspace: { landing } }));
  return [
    {
      name: 'a checks command that does not exist',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withLanding({ checks: { command: 'no-such-checker-xyz --all' } }),
      message: /workspace\.landing\.checks\.command: "no-such-checker-xyz".*neither a program on PATH/,
    },
    {
      name: 'a merge queue batch size of 0',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withLanding({ checks: { command: 'true' }, queue: { maxBatch: 0 } }),
      message: /maxBatch must be at least 1/,
    },
    {
      name: 'a merge queue batch size over 100',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withLanding({ checks: { command: 'true' }, queue: { maxBatch: 101 } }),
      message: /maxBatch is at most 100/,
    },
    {
      name: 'queue mode without checks',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withLanding({ mode: 'queue' }),
      message: /workspace\.landing\.checks is not set/,
    },
  ];
}

/** Worktree setups that cannot work (`workspace.setup`): each stops `cadre run` before anything is written. */
function setupConfigCases() {
  const withSetup = (setup: object) => (repo: string) =>
    writeFileSync(join(repo, 'cadre.config.json'), JSON.stringify({ workspace: { setup } }));
  return [
    {
      name: 'a setup command that does not exist',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withSetup({ commands: ['no-such-program-xyz --flag'] }),
      message: /workspace\.setup\.commands\[0\]: "no-such-program-xyz".*neither a program on PATH/,
    },
    {
      name: 'a setup reuse file that does not exist',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withSetup({ commands: ['npm ci'], reuseFiles: ['no-such.lock'] }),
      message: /workspace\.setup\.reuseFiles\[0\]: "no-such\.lock" does not exist/,
    },
    {
      name: 'a setup timeout of 0',
      args: () => ['run', '--goal', 'x', ...sim],
      prepare: withSetup({ commands: ['npm ci'], timeoutMs: 0 }),
      message: /workspace\.setup\.timeoutMs: timeoutMs must be at least 1/,
    },
  ];
}
