import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelsConfig } from '../../llm/index.ts';
import {
  type ProtocolServer,
  startProtocolServer,
} from '../../llm/testing/protocol-server/protocol-server.ts';
import type { ModelsConfigInput } from '../../protocol/index.ts';
import { registerModelsCommand } from './models-command.ts';

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await server.close();
});

async function run(args: string[], config: ModelsConfigInput, env: NodeJS.ProcessEnv = {}) {
  const output = { stdout: '', stderr: '', exitCode: 0 };
  const program = new Command('cadre').exitOverride();
  registerModelsCommand(
    program,
    {
      stdout: (text) => {
        output.stdout += text;
      },
      stderr: (text) => {
        output.stderr += text;
      },
      env,
      setExitCode: (code) => {
        output.exitCode = code;
      },
    },
    { loadConfig: async () => parseModelsConfig(config) },
  );
  await program.parseAsync(['models', ...args], { from: 'user' });
  return output;
}

const config: ModelsConfigInput = {
  roles: { planner: ['anthropic:claude-opus-4-5', 'openai:gpt-5.2'], worker: ['sim:echo'] },
  pricing: { 'openai:gpt-5.2': { input: 2, output: 20 } },
};

describe('cadre models', () => {
  it('lists chains with prices and which keys are set, never the keys themselves', async () => {
    const output = await run([], config, { OPENAI_API_KEY: 'sk-very-secret' });
    expect(output.stdout).toMatch(
      /planner\n\s+1\. anthropic:claude-opus-4-5\s+\$5 in, \$0\.5 cached, \$25 out per 1M tokens \(list\)/,
    );
    expect(output.stdout).toMatch(/2\. openai:gpt-5\.2\s+\$2 in, \$20 out per 1M tokens \(override\)/);
    expect(output.stdout).toMatch(/worker\n\s+1\. sim:echo\s+free/);
    expect(output.stdout).toMatch(/1\. anthropic:claude-opus-4-5 .*; 200k window, 64k out \(built-in\)/);
    expect(output.stdout).toMatch(/OPENAI_API_KEY\s+set/);
    expect(output.stdout).toMatch(/ANTHROPIC_API_KEY\s+not set/);
    expect(output.stdout).toMatch(
      /planner: anthropic:claude-opus-4-5 needs an API key: set ANTHROPIC_API_KEY/,
    );
    expect(output.stdout).not.toContain('sk-very-secret');
  });

  it('says which models do not stream, and which key of the config said so', async () => {
    const output = await run([], { ...config, transport: { 'anthropic:*': 'generate' } }, {});
    expect(output.stdout).toMatch(/1\. anthropic:claude-opus-4-5 .*; no streaming \(config anthropic:\*\)\n/);
    expect(output.stdout).toMatch(/2\. openai:gpt-5\.2 .*\(override\); [^;\n]+\)\n/);
  });

  it('prints the same report as JSON', async () => {
    const output = await run(['--json'], config, {});
    const report = JSON.parse(output.stdout);
    expect(report.roles.map((role: { role: string }) => role.role)).toEqual(['planner', 'worker']);
    expect(report.problems).toHaveLength(2);
  });

  it('pings a sim model and prints latency, usage and the labeled reply', async () => {
    const output = await run(['ping', 'sim:echo'], config);
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toMatch(/model: +sim:echo/);
    expect(output.stdout).toMatch(/latency: +\d+ ms/);
    expect(output.stdout).toMatch(/usage: +\d+ in/);
    expect(output.stdout).toContain('[simulated]');
  });

  it('gives a clear error naming the variable when a key is missing', async () => {
    const output = await run(['ping', 'planner'], config, {});
    expect(output.exitCode).toBe(1);
    expect(output.stderr).toMatch(/cannot ping planner: .*set ANTHROPIC_API_KEY/);
    expect(output.stderr).toMatch(/set OPENAI_API_KEY/);
    const unknown = await run(['ping', 'reviewer'], config, {});
    expect(unknown.stderr).toMatch(
      /neither a model id nor a configured role \(roles: planner, worker\), and there is no "default" chain/,
    );
  });

  it('pings a role that only the default chain serves, as the router would serve it', async () => {
    server.enqueue({ type: 'text', text: 'pong' });
    const output = await run(
      ['ping', 'planner', '--json'],
      {
        roles: { default: ['anthropic:claude-haiku-4-5'] },
        providers: { anthropic: { baseURL: server.baseURL } },
        limits: { 'anthropic:*': { maxOutputTokens: 100 } },
      },
      { ANTHROPIC_API_KEY: 'sk-test' },
    );
    expect(output.stderr).toBe('note: role planner is served by the default chain\n');
    expect(JSON.parse(output.stdout)).toMatchObject({ text: 'pong', modelId: 'anthropic:claude-haiku-4-5' });
    // The ping asks for 200 output tokens; the configured cap of the model clamps it.
    expect(server.requests.at(-1)?.body.max_tokens).toBe(100);
  });

  it('pings a role through its chain against a real wire protocol', async () => {
    server.enqueue({ type: 'text', text: 'pong', usage: { inputTokens: 21, outputTokens: 2 } });
    const output = await run(
      ['ping', 'judge', '--json'],
      { roles: { judge: ['openai-chat:gpt-4.1'] }, providers: { openai: { baseURL: server.baseURL } } },
      { OPENAI_API_KEY: 'sk-test' },
    );
    expect(output.stderr).toBe('');
    const result = JSON.parse(output.stdout);
    expect(result).toMatchObject({
      target: 'judge',
      text: 'pong',
      modelId: 'openai-chat:gpt-4.1',
      usage: { inputTokens: 21 },
    });
    expect(result.costUsd).toBeCloseTo((21 * 2 + 2 * 8) / 1_000_000);
    expect(server.requests.at(-1)?.body.max_tokens).toBe(200);
  });
});
