import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSummary, TrialRecord } from '../../eval/index.ts';
import { codingSamplesOf } from '../../eval/testing/index.ts';
import { addUsage, emptyUsage, type ModelUsage } from '../../llm/index.ts';
import {
  type ProtocolServer,
  type RecordedRequest,
  type ResponderReply,
  startProtocolServer,
} from '../../llm/testing/index.ts';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';
import { runInProcess } from '../testing/run-cli.ts';
import { registerEvalCommand } from './eval-command.ts';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cadre-eval-engine-cli-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function runCli(args: string[], env: NodeJS.ProcessEnv) {
  return runInProcess(registerEvalCommand, args, { cwd: directory, env });
}

async function readRun(out: string) {
  const summary = RunSummary.parse(
    JSON.parse(await readFile(path.join(directory, out, 'summary.json'), 'utf8')),
  );
  const lines = (await readFile(path.join(directory, out, 'trials.jsonl'), 'utf8')).trim().split('\n');
  return { summary, trials: lines.map((line) => TrialRecord.parse(JSON.parse(line))) };
}

/** The sentence that names a sample's task, as it appears JSON-escaped in a request body. */
function taskMark(input: string): string {
  const sentence = input.slice(0, input.indexOf(' The tests run'));
  return JSON.stringify(sentence).slice(1, -1);
}

function lastInput(request: RecordedRequest): Record<string, unknown> | undefined {
  const input = request.body.input;
  return Array.isArray(input) ? (input.at(-1) as Record<string, unknown> | undefined) : undefined;
}

describe('cadre eval run with an engine as the solver', () => {
  // Two coding samples: codex's model (scripted here) writes the right file for the first and a wrong one
  // for the second, with codex's own exec_command run by the real program inside the sandbox.
  it('runs codex on coding samples beside a native solver, graded by the tests, usage from the server', async () => {
    const samples = codingSamplesOf(2);
    expect(samples).toHaveLength(2);
    const [good, bad] = samples as [(typeof samples)[0], (typeof samples)[0]];
    const usages = new Map([
      [good.id, { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 40, reasoningTokens: 10 }],
      [bad.id, { inputTokens: 2000, cachedInputTokens: 100, outputTokens: 70, reasoningTokens: 5 }],
    ]);
    const sampleOf = (request: RecordedRequest) =>
      samples.find((sample) => JSON.stringify(request.body).includes(taskMark(sample.input)));
    const server: ProtocolServer = await startProtocolServer({
      respond(request): ResponderReply {
        const sample = sampleOf(request);
        if (sample === undefined) return { type: 'text', text: 'No task in sight.' };
        const usage = usages.get(sample.id)!;
        if (lastInput(request)?.type === 'function_call_output')
          return {
            type: 'text',
            text: `Rewrote ${sample.file}; the tests pass.\nANSWER: done`,
            usage: { ...usage, inputTokens: usage.inputTokens + 300, outputTokens: 9 },
          };
        const content = sample === good ? good.right : bad.wrong;
        return {
          type: 'tool-calls',
          text: `Writing ${sample.file}.`,
          toolCalls: [
            {
              id: 'call_write',
              name: 'exec_command',
              arguments: { cmd: `cat > '${sample.file}' <<'CADRE_EOF'\n${content}CADRE_EOF\n` },
            },
          ],
          usage,
        };
      },
    });
    try {
      await writeFile(
        path.join(directory, 'engine-models.json'),
        JSON.stringify({ pricing: { 'openai:gpt-5.2': { input: 1, output: 4 } } }),
      );
      const { stdout, error } = await runCli(
        [
          ...['eval', 'run', '--suite', 'coding', '--samples', '2', '--trials', '1', '--concurrency', '3'],
          ...['--models', 'sim:oracle-strong', '--solver', 'engine:codex/gpt-5.2'],
          ...['--config', 'engine-models.json', '--out', 'engine-run'],
        ],
        { OPENAI_API_KEY: 'sk-cadre-test', OPENAI_BASE_URL: server.baseURL },
      );
      expect(error).toBeNull();
      // the engine's label beside the native solver's, on the same samples
      expect(stdout).toContain('| sim:oracle-strong |');
      expect(stdout).toContain('| engine:codex/gpt-5.2 |');
      const { summary, trials } = await readRun('engine-run');
      expect(summary.models.map((model) => model.model)).toEqual([
        'sim:oracle-strong',
        'engine:codex/gpt-5.2',
      ]);
      const engineTrials = trials.filter((trial) => trial.model === 'engine:codex/gpt-5.2');
      expect(engineTrials.map((trial) => trial.sampleId).sort()).toEqual([good.id, bad.id].sort());
      expect(
        new Set(trials.filter((trial) => trial.model === 'sim:oracle-strong').map((t) => t.sampleId)),
      ).toEqual(new Set([good.id, bad.id]));

      // codex reports one turn per run of the program, however many model calls it made
      const passed = engineTrials.find((trial) => trial.sampleId === good.id)!;
      expect(passed).toMatchObject({ success: true, answer: 'done', end: { type: 'answered' }, steps: 1 });
      expect(passed.toolCalls).toBe(1);
      expect(passed.scores[0]!.explanation).toContain('all tests passed');
      const failed = engineTrials.find((trial) => trial.sampleId === bad.id)!;
      expect(failed).toMatchObject({ success: false, answer: 'done', end: { type: 'answered' }, steps: 1 });
      expect(failed.scores[0]!.passed).toBe(false);

      // usage per trial is exactly what the server served for that sample's requests
      for (const trial of engineTrials) {
        const served = server.ledger
          .filter((answer) => sampleOf(server.requests[answer.requestIndex]!)?.id === trial.sampleId)
          .reduce((sum: ModelUsage, answer) => addUsage(sum, answer.usage), emptyUsage());
        expect(served.inputTokens).toBeGreaterThan(0);
        expect(trial.usage).toEqual(served);
        expect(trial.unpricedCalls).toBe(0);
        expect(trial.costUsd).toBeGreaterThan(0);
      }
      expect(server.ledger).toHaveLength(4);
      expect(server.ledger.every((answer) => answer.model === 'gpt-5.2')).toBe(true);
      // the engine was given the suite's prompt and the sample's task
      const first = JSON.stringify(server.requests[0]!.body);
      expect(first).toContain('You are a coding agent working in a small JavaScript repository');
      const types = new Set(passed.events.map((event) => (event as { type: string }).type));
      expect([...types]).toEqual(
        expect.arrayContaining(['agent-started', 'model-call-ended', 'tool-call-ended', 'agent-ended']),
      );
    } finally {
      await server.close();
    }
  }, 60_000);

  // Claude Code's Write takes an absolute path: the scripted model reads the trial's directory from the
  // system prompt Claude Code sends, as a model would.
  it('runs claude-code on a coding sample, its Write graded by the tests, every served call counted', async () => {
    const [sample] = codingSamplesOf(1) as [ReturnType<typeof codingSamplesOf>[0]];
    let agentCalls = 0;
    const server = await startProtocolServer({
      respond(request): ResponderReply {
        const tools = Array.isArray(request.body.tools) ? request.body.tools : [];
        // titles, summaries and other side requests of the program
        if (tools.length === 0)
          return { type: 'text', text: 'ok', usage: { inputTokens: 40, outputTokens: 2 } };
        agentCalls += 1;
        const body = JSON.stringify(request.body);
        const directory = /Primary working directory: ([^\s\\"]+)/.exec(body)?.[1];
        if (directory === undefined || !body.includes(taskMark(sample.input)))
          return { type: 'text', text: 'No task in sight.' };
        const file_path = `${directory}/${sample.file}`;
        // Claude Code's Write refuses to overwrite a file that was not read first
        if (agentCalls === 1)
          return {
            type: 'tool-calls',
            text: `Reading ${sample.file}.`,
            toolCalls: [{ id: 'toolu_read_1', name: 'Read', arguments: { file_path } }],
            usage: { inputTokens: 2200, cachedInputTokens: 0, cacheWriteTokens: 2000, outputTokens: 31 },
          };
        if (agentCalls === 2)
          return {
            type: 'tool-calls',
            text: `Writing ${sample.file}.`,
            toolCalls: [
              { id: 'toolu_write_1', name: 'Write', arguments: { file_path, content: sample.right } },
            ],
            usage: { inputTokens: 2400, cachedInputTokens: 1800, cacheWriteTokens: 500, outputTokens: 64 },
          };
        return {
          type: 'text',
          text: 'Fixed it.\nANSWER: done',
          usage: { inputTokens: 2600, cachedInputTokens: 2300, cacheWriteTokens: 120, outputTokens: 23 },
        };
      },
    });
    try {
      const { error } = await runCli(
        [
          ...['eval', 'run', '--suite', 'coding', '--samples', '1', '--trials', '1'],
          ...['--solver', 'engine:claude-code/claude-sonnet-4-5', '--out', 'claude-run', '--json'],
        ],
        { ANTHROPIC_API_KEY: 'sk-cadre-test', ANTHROPIC_BASE_URL: server.baseURL },
      );
      expect(error).toBeNull();
      const { summary, trials } = await readRun('claude-run');
      expect(summary.models.map((model) => model.model)).toEqual(['engine:claude-code/claude-sonnet-4-5']);
      expect(trials).toHaveLength(1);
      const [trial] = trials as [TrialRecord];
      expect(trial).toMatchObject({
        sampleId: sample.id,
        success: true,
        answer: 'done',
        end: { type: 'answered' },
        steps: 3,
        toolCalls: 2,
      });
      expect(agentCalls).toBe(3);
      const served = server.ledger.reduce(
        (sum: ModelUsage, answer) => addUsage(sum, answer.usage),
        emptyUsage(),
      );
      expect(trial.usage).toEqual(served);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses an engine it cannot run with one clear message and exit code 2', async () => {
    const run = (solver: string, env: NodeJS.ProcessEnv, more: string[] = []) =>
      runCli(['eval', 'run', '--suite', 'coding', '--samples', '1', '--solver', solver, ...more], env);
    const key = { OPENAI_API_KEY: 'sk-cadre-test' };

    const noKey = await run('engine:codex/gpt-5.2', {});
    expect(noKey.error?.name).toBe('UsageError');
    expect(noKey.error?.message).toMatch(/^engine codex needs its key: /);

    await writeFile(
      path.join(directory, 'missing-program.json'),
      JSON.stringify({ engines: { codex: { program: '/nonexistent/codex' } } }),
    );
    const missing = await run('engine:codex', key, ['--config', 'missing-program.json']);
    expect(missing.error?.name).toBe('UsageError');
    expect(missing.error?.message).toContain('/nonexistent/codex');

    const unknown = await run('engine:nope', key);
    expect(unknown.error?.message).toMatch(/unknown engine "nope"/);

    const unfit = await runCli(
      ['eval', 'run', '--suite', 'underwriting', '--samples', '1', '--solver', 'engine:codex/gpt-5.2'],
      key,
    );
    expect(unfit.error?.name).toBe('UsageError');
    expect(unfit.error?.message).toMatch(/suite underwriting cannot be solved by an engine/);

    let stderr = '';
    const io: CliIo = {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env: {},
      cwd: directory,
      signal: new AbortController().signal,
    };
    const code = await main(['eval', 'run', '--suite', 'coding', '--solver', 'engine:codex/gpt-5.2'], io);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^cadre: engine codex needs its key: /),
    ]);
  });
});
