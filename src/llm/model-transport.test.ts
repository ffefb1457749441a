import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFor, testEnv } from './conformance/adapter-cases.ts';
import { createModel } from './create-model.ts';
import { transportFor } from './model-transport.ts';
import { parseModelsConfig } from './models-config.ts';
import { createConfiguredRouter } from './router/create-configured-router.ts';
import { type ProtocolServer, startProtocolServer } from './testing/protocol-server/protocol-server.ts';

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(() => server.close());
const signal = new AbortController().signal;
const ask = { messages: [{ role: 'user' as const, content: 'Say hello.' }] };

describe('transportFor', () => {
  const config = parseModelsConfig({
    transport: {
      'openai-chat:*': 'generate',
      'openai-chat:gpt-4.1': 'stream',
      'openai-compatible:vllm': 'generate',
    },
  });

  it('takes the exact id first, then <provider>:*, and streams what the config does not name', () => {
    expect(transportFor(config, 'openai-chat:gpt-4.1')).toEqual({
      transport: 'stream',
      source: { type: 'config', key: 'openai-chat:gpt-4.1' },
    });
    expect(transportFor(config, 'openai-chat:gpt-4o')).toEqual({
      transport: 'generate',
      source: { type: 'config', key: 'openai-chat:*' },
    });
    expect(transportFor(config, 'openai-compatible:vllm').transport).toBe('generate');
    // `openai-chat:*` does not cover the Responses API, as with limits
    expect(transportFor(config, 'openai:gpt-4o')).toEqual({
      transport: 'stream',
      source: { type: 'default' },
    });
  });
});

describe('the transport setting of the models config', () => {
  it('says what a bad key or value should be', () => {
    expect(() => parseModelsConfig({ transport: { 'gpt-4.1': 'generate' } })).toThrow(
      /a transport key is a model id .* or a provider followed by :\*/,
    );
    expect(() => parseModelsConfig({ transport: { 'openai-chat:*': 'json' } })).toThrow(
      /unknown transport "json"; use "stream" .* or "generate"/,
    );
  });

  it('makes a routed model ask for one JSON response, and an explicit option still wins', async () => {
    const config = configFor(server.baseURL, {
      roles: { worker: ['openai-chat:gpt-4.1', 'anthropic:claude-haiku-4-5'] },
      transport: { 'openai-chat:*': 'generate' },
    });
    const worker = createConfiguredRouter({ config, env: testEnv }).modelFor('worker');
    server.enqueue({ type: 'text', text: 'Hello.' });
    expect((await worker.generate(ask, { signal })).text).toBe('Hello.');
    server.enqueue({ type: 'text', text: 'Hello again.' });
    await createModel('openai-chat:gpt-4.1', { config, env: testEnv, transport: 'stream' }).generate(ask, {
      signal,
    });
    server.enqueue({ type: 'text', text: 'Hello from Anthropic.' });
    await createModel('anthropic:claude-haiku-4-5', { config, env: testEnv }).generate(ask, { signal });
    expect(server.requests.map((request) => [request.protocol, request.stream])).toEqual([
      ['openai-chat', false],
      ['openai-chat', true],
      ['anthropic-messages', true],
    ]);
  });
});
