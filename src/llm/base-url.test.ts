import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelsConfig } from '../protocol/index.ts';
import { normalizeAnthropicBaseURL, normalizeOpenAIBaseURL } from './base-url.ts';
import { createModel } from './create-model.ts';
import type { ModelRequest } from './model.ts';
import { type ProtocolServer, startProtocolServer } from './testing/protocol-server/protocol-server.ts';

describe('base URL normalization', () => {
  it('accepts Anthropic base URLs with and without /v1 and trailing slashes', () => {
    for (const url of [
      'https://proxy.example.com',
      'https://proxy.example.com/',
      'https://proxy.example.com/v1',
      'https://proxy.example.com/v1//',
    ]) {
      expect(normalizeAnthropicBaseURL(url)).toBe('https://proxy.example.com/v1');
    }
    expect(normalizeAnthropicBaseURL('http://127.0.0.1:9/gateway/anthropic')).toBe(
      'http://127.0.0.1:9/gateway/anthropic/v1',
    );
  });

  it("adds /v1 only to OpenAI's own bare host and leaves other gateways' paths alone", () => {
    expect(normalizeOpenAIBaseURL('https://api.openai.com/')).toBe('https://api.openai.com/v1');
    expect(normalizeOpenAIBaseURL('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1');
    expect(normalizeOpenAIBaseURL('https://generativelanguage.googleapis.com/v1beta/openai/')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/openai',
    );
    expect(normalizeOpenAIBaseURL('https://api.perplexity.ai')).toBe('https://api.perplexity.ai');
  });
});

describe('base URLs against the protocol server', () => {
  let server: ProtocolServer;
  beforeAll(async () => {
    server = await startProtocolServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const ask: ModelRequest = { messages: [{ role: 'user', content: 'Say hello.' }] };
  const signal = new AbortController().signal;
  const config = ModelsConfig.parse({});

  it('reaches Anthropic Messages with ANTHROPIC_BASE_URL written with or without /v1', async () => {
    const root = server.baseURL.replace(/\/v1$/, '');
    for (const baseURL of [root, `${root}/`, server.baseURL, `${server.baseURL}/`]) {
      server.enqueue({ type: 'text', text: 'Hello.' });
      const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: baseURL };
      const model = createModel('anthropic:claude-haiku-4-5', { config, env });
      expect((await model.generate(ask, { signal })).text).toBe('Hello.');
    }
    expect(server.requests.map((request) => request.path)).toEqual(Array(4).fill('/v1/messages'));
  });

  it('reaches OpenAI with a trailing slash, and names the URL when a path is wrong', async () => {
    server.enqueue({ type: 'text', text: 'Hi.' });
    const env = { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${server.baseURL}/` };
    expect((await createModel('openai-chat:gpt-4.1', { config, env }).generate(ask, { signal })).text).toBe(
      'Hi.',
    );
    const root = server.baseURL.replace(/\/v1$/, '');
    const lost = ModelsConfig.parse({ compatible: { local: { baseURL: root } } });
    const failure = createModel('openai-compatible:local', { config: lost, env: {} }).generate(ask, {
      signal,
    });
    await expect(failure).rejects.toMatchObject({ type: 'not-found' });
    await expect(failure).rejects.toThrow(`the base URL: ${root}/chat/completions was not found`);
  });
});
