import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSummary, TrialRecord, underwritingSuite } from '../../eval/index.ts';
import { type ProtocolServer, startProtocolServer } from '../../llm/testing/index.ts';
import { runInProcess } from '../testing/run-cli.ts';
import { registerEvalCommand } from './eval-command.ts';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cadre-eval-cli-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function runCli(args: string[]) {
  return runInProcess(registerEvalCommand, args, { cwd: directory });
}

async function readRun(out: string) {
  const summary = RunSummary.parse(
    JSON.parse(await readFile(path.join(directory, out, 'summary.json'), 'utf8')),
  );
  const lines = (await readFile(path.join(directory, out, 'trials.jsonl'), 'utf8')).trim().split('\n');
  return { summary, trials: lines.map((line) => TrialRecord.parse(JSON.parse(line))) };
}

describe('cadre eval', () => {
  it('lists the suites', async () => {
    const { stdout, error } = await runCli(['eval', 'list', '--json']);
    expect(error).toBeNull();
    expect(JSON.parse(stdout).map((suite: { name: string }) => suite.name)).toEqual([
      'underwriting',
      'coding',
    ]);
  });

  it('runs the underwriting suite on sim models and writes logs, summary, table and HTML', async () => {
    const { stdout, stderr, error } = await runCli([
      'eval',
      'run',
      '--suite',
      'underwriting',
      '--trials',
      '2',
      '--samples',
      '18',
      '--out',
      'sim-run',
    ]);
    expect(error).toBeNull();
    expect(stderr).toContain('72/72 trials');
    expect(stdout).toContain('| sim:oracle-strong |');
    expect(stdout).toContain('(includes SIMULATED models)');
    const { summary, trials } = await readRun('sim-run');
    expect(trials).toHaveLength(72);
    expect(summary.models.map((model) => model.model)).toEqual(['sim:oracle-strong', 'sim:oracle-weak']);
    const [strong, weak] = summary.models;
    expect(strong!.successRate).toBeGreaterThan(weak!.successRate);
    expect(strong!.passAtK).toBeGreaterThanOrEqual(strong!.successRate);
    expect(strong!.passHatK).toBeLessThanOrEqual(strong!.successRate);
    // Every message and tool call is in the log.
    const withTools = trials.find((trial) => trial.toolCalls > 0)!;
    const types = new Set(withTools.events.map((event) => (event as { type: string }).type));
    expect([...types]).toEqual(
      expect.arrayContaining(['agent-started', 'model-call-ended', 'tool-call-ended', 'agent-ended']),
    );
    const html = await readFile(path.join(directory, 'sim-run', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('sim:oracle-weak');
    expect(await readFile(path.join(directory, 'sim-run', 'report.md'), 'utf8')).toContain('pass@2');
  });

  it('runs a real agent through the local protocol server (OpenAI-compatible wire) and prices it', async () => {
    const signal = new AbortController().signal;
    const suite = await underwritingSuite.load({
      signal,
      seed: 1,
      workDirectory: path.join(directory, 'reference-suite'),
    });
    const sample = suite.samples[0]!;
    await suite.close();
    const server: ProtocolServer = await startProtocolServer();
    try {
      const businessId = /business (B\d{4})/.exec(sample.input)![1];
      server.enqueue(
        {
          type: 'tool-calls',
          toolCalls: [
            { name: 'sql_query', arguments: { sql: `SELECT * FROM businesses WHERE id = '${businessId}'` } },
          ],
          usage: { inputTokens: 1000, outputTokens: 50 },
        },
        {
          type: 'text',
          text: `Checked the table.\nANSWER: ${sample.reference}`,
          usage: { inputTokens: 1200, outputTokens: 20 },
        },
      );
      const config = {
        compatible: { local: { baseURL: server.baseURL } },
        pricing: { 'openai-compatible:local': { input: 1, output: 4 } },
      };
      await writeFile(path.join(directory, 'models.json'), JSON.stringify(config));
      const { error } = await runCli([
        'eval',
        'run',
        '--suite',
        'underwriting',
        '--models',
        'openai-compatible:local',
        '--samples',
        '1',
        '--trials',
        '1',
        '--config',
        'models.json',
        '--out',
        'wire-run',
        '--json',
      ]);
      expect(error).toBeNull();
      const { summary, trials } = await readRun('wire-run');
      expect(trials[0]).toMatchObject({
        sampleId: sample.id,
        success: true,
        toolCalls: 1,
        end: { type: 'answered' },
      });
      expect(summary.models[0]!.dollarsPerTrial).toBeCloseTo((2200 * 1 + 70 * 4) / 1e6, 9);
      expect(summary.simulated).toBe(false);
      expect(server.requests).toHaveLength(2);
      // The second request carries the real SQLite rows back to the model as the tool result.
      const messages = server.requests[1]!.body.messages as Array<{ role: string; content: string }>;
      const toolMessage = messages.find((message) => message.role === 'tool');
      expect(toolMessage?.content).toContain(`"id":"${businessId}"`);
    } finally {
      await server.close();
    }
  });

  it('compares runs with bootstrap intervals and recommends routing', async () => {
    await runCli([
      'eval',
      'run',
      '--suite',
      'underwriting',
      '--trials',
      '2',
      '--samples',
      '18',
      '--seed',
      '2',
      '--out',
      'sim-run-2',
      '--json',
    ]);
    const compared = await runCli(['eval', 'compare', 'sim-run', 'sim-run-2']);
    expect(compared.error).toBeNull();
    expect(compared.stdout).toContain('| sim-run | worker | sim:oracle-strong |');
    expect(compared.stdout).toMatch(
      /\| sim-run-2 \| worker \| sim:oracle-strong \| [\d.]+% \| [+-][\d.]+% \| \[/,
    );
    const recommended = await runCli(['eval', 'recommend', 'sim-run', '--floor', '0.6', '--json']);
    expect(recommended.error).toBeNull();
    expect(JSON.parse(recommended.stdout).config).toEqual({ roles: { worker: ['sim:oracle-strong'] } });
  });

  it('calibrates within tolerance', async () => {
    const { stdout, error } = await runCli([
      'eval',
      'calibrate',
      '--suite',
      'underwriting',
      '--trials',
      '432',
      '--json',
    ]);
    expect(error).toBeNull();
    const result = JSON.parse(stdout);
    expect(result.trials).toBeGreaterThanOrEqual(400);
    expect(result.passed).toBe(true);
  });

  it('runs the coding suite: generated repositories graded by their own tests in the sandbox', async () => {
    const { error } = await runCli([
      'eval',
      'run',
      '--suite',
      'coding',
      '--models',
      'sim:oracle-strong',
      '--trials',
      '1',
      '--out',
      'coding-run',
      '--json',
    ]);
    expect(error).toBeNull();
    const { summary, trials } = await readRun('coding-run');
    expect(summary.sampleCount).toBeGreaterThanOrEqual(20);
    expect(summary.models[0]!.infrastructureErrors).toBe(0);
    const passed = trials.filter((trial) => trial.success);
    expect(passed.length).toBeGreaterThan(10);
    expect(passed[0]!.scores[0]!.explanation).toContain('all tests passed');
    expect(new Set(trials.map((trial) => trial.taskType))).toEqual(
      new Set(['fix-bug', 'write-function', 'refactor']),
    );
  });

  it('rejects bad usage', async () => {
    expect((await runCli(['eval', 'run', '--suite', 'nope'])).error?.name).toBe('UsageError');
    expect(
      (await runCli(['eval', 'run', '--suite', 'underwriting', '--models', 'sim:nobody'])).error?.message,
    ).toMatch(/no sim policy/);
    expect((await runCli(['eval', 'run', '--suite', 'underwriting', '--trials', '0'])).error?.name).toBe(
      'UsageError',
    );
    expect(
      (await runCli(['eval', 'calibrate', '--suite', 'underwriting', '--trials', '100'])).error?.message,
    ).toMatch(/at least 400/);
    expect((await runCli(['eval', 'compare', 'sim-run', 'missing'])).error?.message).toMatch(
      /not an eval run directory/,
    );
  });

  const fixtures = path.join(import.meta.dirname, '..', '..', 'eval', '__fixtures__');
  const exampleSuite = path.join(fixtures, 'example-suite');

  it('lists folder suites from --suite-dir and runs a suite folder given by its path', async () => {
    const listed = await runCli(['eval', 'list', '--suite-dir', fixtures, '--json']);
    expect(listed.error).toBeNull();
    expect(JSON.parse(listed.stdout).at(-1)).toMatchObject({
      name: 'example-stockroom',
      folder: exampleSuite,
    });
    const { error } = await runCli([
      'eval',
      'run',
      '--suite',
      path.relative(directory, exampleSuite),
      '--models',
      'sim:oracle-strong',
      '--trials',
      '2',
      '--out',
      'folder-run',
      '--json',
    ]);
    expect(error).toBeNull();
    const { summary, trials } = await readRun('folder-run');
    expect(summary).toMatchObject({ suite: 'example-stockroom', sampleCount: 4, role: 'worker' });
    expect(trials).toHaveLength(8);
    expect(summary.models[0]!.infrastructureErrors).toBe(0);
    // By name through --suite-dir too.
    const byName = await runCli([
      'eval',
      'run',
      '--suite',
      'example-stockroom',
      '--suite-dir',
      fixtures,
      '--json',
    ]);
    expect(byName.error).toBeNull();
  });

  it('reports a broken suite folder as bad usage naming the file, line and key', async () => {
    const broken = path.join(directory, 'broken-suite');
    await cp(exampleSuite, broken, { recursive: true });
    await writeFile(
      path.join(broken, 'samples.jsonl'),
      '{"id":"a","input":"q","reference":"x"}\n{"id":"b"}\n',
    );
    const { error } = await runCli(['eval', 'run', '--suite', 'broken-suite']);
    expect(error?.name).toBe('UsageError');
    expect(error?.message).toContain(`${path.join(broken, 'samples.jsonl')}:2: input:`);
    await writeFile(
      path.join(broken, 'suite.json'),
      '{"name":"underwriting","description":"d","solver":{"system":"s"}}',
    );
    const clash = await runCli(['eval', 'list', '--suite-dir', 'broken-suite']);
    expect(clash.error?.message).toContain(
      `${path.join(broken, 'suite.json')}: name: "underwriting" is already the name of a built-in suite`,
    );
  });

  it('plays the junior underwriter with --user-model and counts its cost apart', async () => {
    await writeFile(
      path.join(directory, 'user-pricing.json'),
      JSON.stringify({ pricing: { 'sim:echo': { input: 1000, output: 1000 } } }),
    );
    const { error } = await runCli([
      ...['eval', 'run', '--suite', 'underwriting', '--models', 'sim:oracle-strong', '--samples', '9'],
      ...['--trials', '1', '--user-model', 'sim:echo', '--config', 'user-pricing.json'],
      ...['--out', 'user-model-run', '--json'],
    ]);
    expect(error).toBeNull();
    const { trials } = await readRun('user-model-run');
    const multiTurn = trials.filter((trial) => trial.taskType === 'prospect-limit');
    expect(multiTurn.length).toBeGreaterThan(0);
    for (const trial of multiTurn) {
      expect(trial.userCostUsd).toBeGreaterThan(0);
      expect(trial.userUsage.inputTokens).toBeGreaterThan(0);
    }
    // The agent (an unpriced sim) costs nothing; only the user model was priced.
    expect(trials.every((trial) => trial.costUsd === 0)).toBe(true);
    expect(
      trials.filter((trial) => trial.taskType !== 'prospect-limit').every((t) => t.userCostUsd === 0),
    ).toBe(true);
    const unknown = await runCli(['eval', 'run', '--suite', 'underwriting', '--user-model', 'sim:nobody']);
    expect(unknown.error?.message).toMatch(/no sim policy named "nobody"/);
  });
});
