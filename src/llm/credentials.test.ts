import { describe, expect, it } from 'vitest';
import { ModelsConfig } from '../protocol/index.ts';
import { checkCredentials, describeKeys, resolveConnection } from './credentials.ts';
import { parseModelId } from './model-id.ts';

describe('credentials', () => {
  const config = ModelsConfig.parse({
    roles: {
      planner: ['anthropic:claude-opus-4-5', 'openai:gpt-5.2'],
      worker: ['openai-compatible:local', 'openai-compatible:vllm', 'openai-compatible:nowhere'],
      judge: ['sim:echo'],
    },
    compatible: {
      local: { baseURL: 'http://127.0.0.1:11434/v1' },
      vllm: { baseURLEnv: 'VLLM_BASE_URL', apiKeyEnv: 'VLLM_API_KEY' },
    },
  });

  it('names the variable to set for every model that lacks a key or base URL', () => {
    const problems = checkCredentials(config, { OPENAI_API_KEY: 'sk-test' });
    expect(problems.map((problem) => [problem.modelId, problem.variable])).toEqual([
      ['anthropic:claude-opus-4-5', 'ANTHROPIC_API_KEY'],
      ['openai-compatible:vllm', 'VLLM_BASE_URL'],
      ['openai-compatible:nowhere', null],
    ]);
    expect(problems[0]?.message).toMatch(/set ANTHROPIC_API_KEY/);
    expect(problems[2]?.message).toMatch(/names no configured server/);
  });

  it('passes when everything is set, and can check only some roles', () => {
    const env = {
      OPENAI_API_KEY: 'a',
      ANTHROPIC_API_KEY: 'b',
      VLLM_BASE_URL: 'http://x/v1',
      VLLM_API_KEY: 'c',
    };
    expect(checkCredentials(config, env, ['planner', 'judge'])).toEqual([]);
    expect(checkCredentials(config, {}, ['judge'])).toEqual([]);
    expect(checkCredentials(config, {}, ['reviewer'])[0]?.message).toMatch(/no model chain .* "reviewer"/);
  });

  it('resolves roles as the router does: a default chain serves planner, worker and judge', () => {
    const served = ModelsConfig.parse({
      roles: { default: ['anthropic:claude-opus-4-5'], judge: ['sim:echo'] },
    });
    expect(checkCredentials(served, { ANTHROPIC_API_KEY: 'k' }, ['planner', 'worker', 'judge'])).toEqual([]);
    const problems = checkCredentials(served, {}, ['planner', 'worker', 'judge']);
    expect(problems.map((problem) => [problem.role, problem.variable])).toEqual([
      ['planner', 'ANTHROPIC_API_KEY'],
      ['worker', 'ANTHROPIC_API_KEY'],
    ]);
  });

  it('accepts Anthropic base URLs without /v1 and always names the URL, so the SDK never reads process.env', () => {
    const base = ModelsConfig.parse({});
    const anthropic = parseModelId('anthropic:claude-haiku-4-5');
    const connect = (env: NodeJS.ProcessEnv) => {
      const result = resolveConnection(anthropic, base, { ANTHROPIC_API_KEY: 'k', ...env });
      return result.type === 'ok' ? result.connection.baseURL : result.message;
    };
    expect(connect({ ANTHROPIC_BASE_URL: 'https://proxy.example.com/' })).toBe(
      'https://proxy.example.com/v1',
    );
    expect(connect({ ANTHROPIC_BASE_URL: 'https://proxy.example.com/v1' })).toBe(
      'https://proxy.example.com/v1',
    );
    expect(connect({})).toBe('https://api.anthropic.com/v1');
    const openai = resolveConnection(parseModelId('openai:gpt-5.2'), base, { OPENAI_API_KEY: 'k' });
    expect(openai).toMatchObject({ type: 'ok', connection: { baseURL: 'https://api.openai.com/v1' } });
  });

  it('says which variables are present without exposing values', () => {
    const keys = describeKeys(config, { OPENAI_API_KEY: 'sk-secret', VLLM_API_KEY: ' ' });
    expect(keys).toContainEqual({ provider: 'openai', variable: 'OPENAI_API_KEY', present: true });
    expect(keys).toContainEqual({
      provider: 'openai-compatible:vllm',
      variable: 'VLLM_API_KEY',
      present: false,
    });
    expect(JSON.stringify(keys)).not.toContain('sk-secret');
  });
});
