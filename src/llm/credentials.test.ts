import { describe, expect, it } from 'vitest';
import { ModelsConfig } from '../protocol/model-config.ts';
import { checkCredentials, describeKeys } from './credentials.ts';

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
