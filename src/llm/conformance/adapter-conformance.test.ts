import { describe, expect, it } from 'vitest';
import { createModel } from '../create-model.ts';
import type { ModelRequest } from '../model.ts';
import { loadFixture } from '../testing/fixtures.ts';
import { costOf, createPriceTable } from '../usage/pricing.ts';
import { adapterCases, configFor, expectedUsage, scriptedUsage, testEnv } from './adapter-cases.ts';
import { createSharedProtocolServer } from './shared-protocol-server.ts';

const readFile = {
  name: 'read_file',
  description: 'Read a file of the worktree',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const ask: ModelRequest = {
  system: 'You are a careful worker.',
  messages: [{ role: 'user', content: 'Say hello.' }],
  tools: [readFile],
};

const server = createSharedProtocolServer();

describe.each(adapterCases)('adapter $id', (adapter) => {
  describe.each(['stream', 'generate'] as const)('over %s', (transport) => {
    const model = (extra = {}) =>
      createModel(adapter.id, { config: configFor(server.baseURL, extra), env: testEnv, transport });
    const signal = new AbortController().signal;

    it('returns text, streams it in deltas and sends the request in its wire protocol', async () => {
      server.enqueue({ type: 'text', text: 'Hello from the server.' });
      const deltas: string[] = [];
      const response = await model().generate(ask, { signal, onTextDelta: (delta) => deltas.push(delta) });
      expect(response).toMatchObject({
        text: 'Hello from the server.',
        finishReason: 'stop',
        toolCalls: [],
        modelId: adapter.id,
      });
      expect(deltas.join('')).toBe('Hello from the server.');
      if (transport === 'stream') expect(deltas.length).toBeGreaterThan(1);
      const [recorded] = server.requests;
      expect(recorded).toMatchObject({ protocol: adapter.protocol, stream: transport === 'stream' });
      expect(recorded?.body.model).toBe(adapter.wireModel);
      if (adapter.keyHeader !== null)
        expect(recorded?.headers[adapter.keyHeader.name]).toBe(adapter.keyHeader.value);
      else expect(recorded?.headers.authorization).toBeUndefined();
      const body = JSON.stringify(recorded?.body);
      expect(body).toContain('You are a careful worker.');
      expect(body).toContain('Say hello.');
      expect(body).toContain('read_file');
      if (adapter.protocol === 'openai-chat' && transport === 'stream') {
        // Without this, real Chat Completions servers stream no usage at all.
        expect(recorded?.body.stream_options).toEqual({ include_usage: true });
      }
    });

    it('parses a tool call and sends tool results back', async () => {
      server.enqueue(
        {
          type: 'tool-calls',
          toolCalls: [{ id: 'call_7', name: 'read_file', arguments: { path: 'src/a.ts' } }],
        },
        { type: 'text', text: 'The file is short.' },
      );
      const first = await model().generate(ask, { signal });
      expect(first.finishReason).toBe('tool-calls');
      expect(first.toolCalls).toEqual([
        {
          id: 'call_7',
          name: 'read_file',
          input: { path: 'src/a.ts' },
          rawInput: '{"path":"src/a.ts"}',
          inputError: null,
        },
      ]);
      const second = await model().generate(
        {
          ...ask,
          messages: [
            ...ask.messages,
            { role: 'assistant', content: '', toolCalls: first.toolCalls },
            {
              role: 'tool',
              results: [{ toolCallId: 'call_7', toolName: 'read_file', output: 'export {}', isError: false }],
            },
          ],
        },
        { signal },
      );
      expect(second.text).toBe('The file is short.');
      const body = JSON.stringify(server.requests[1]?.body);
      expect(body).toContain('call_7');
      expect(body).toContain('export {}');
    });

    it('parses parallel tool calls in order', async () => {
      server.enqueue({
        type: 'tool-calls',
        text: 'Reading both.',
        toolCalls: [
          { id: 'call_a', name: 'read_file', arguments: { path: 'a.ts' } },
          { id: 'call_b', name: 'read_file', arguments: { path: 'b.ts' } },
        ],
      });
      const response = await model().generate(ask, { signal });
      expect(response.text).toBe('Reading both.');
      expect(response.toolCalls.map((call) => [call.id, call.input])).toEqual([
        ['call_a', { path: 'a.ts' }],
        ['call_b', { path: 'b.ts' }],
      ]);
    });

    it('reports usage and prices it', async () => {
      server.enqueue({ type: 'text', text: 'Counted.', usage: scriptedUsage });
      const response = await model().generate(ask, { signal });
      expect(response.usage).toEqual(expectedUsage(adapter));
      const cost = costOf(createPriceTable(), adapter.id, response.usage);
      if (adapter.id.startsWith('openai-compatible:')) expect(cost).toBe(0);
      else expect(cost).toBeGreaterThan(0);
    });

    it('marks the finish reason when the output was cut by the token limit', async () => {
      server.enqueue({ type: 'text', text: 'Partial', finishReason: 'length' });
      expect((await model().generate(ask, { signal })).finishReason).toBe('length');
    });

    it('names an invalid key as an auth error that is not retried', async () => {
      server.enqueue({ type: 'error', status: 401, body: loadFixture(adapter.fixtures.invalidKey) });
      const failure = model().generate(ask, { signal });
      await expect(failure).rejects.toMatchObject({ type: 'auth', retryable: false, statusCode: 401 });
      await expect(failure).rejects.toThrow(/HTTP 401.*check the API key/);
    });

    it('names context overflow so the agent can compact', async () => {
      server.enqueue({ type: 'error', status: 400, body: loadFixture(adapter.fixtures.contextOverflow) });
      const failure = model().generate(ask, { signal });
      await expect(failure).rejects.toMatchObject({ type: 'context-overflow', retryable: false });
      await expect(failure).rejects.toThrow(/compact it/);
    });

    it('reads Retry-After from a 429 and calls 5xx retryable', async () => {
      server.enqueue(
        { type: 'error', status: 429, headers: { 'retry-after': '2' }, message: 'Rate limit reached' },
        { type: 'error', status: 503, message: 'upstream unavailable' },
      );
      await expect(model().generate(ask, { signal })).rejects.toMatchObject({
        type: 'rate-limit',
        retryable: true,
        retryAfterMs: 2_000,
      });
      await expect(model().generate(ask, { signal })).rejects.toMatchObject({
        type: 'server',
        retryable: true,
      });
    });

    it("treats the provider's own busy response as retryable", async () => {
      const { status, fixture } = adapter.fixtures.busy;
      server.enqueue({ type: 'error', status, body: loadFixture(fixture) });
      const failure = model().generate(ask, { signal });
      await expect(failure).rejects.toMatchObject({
        type: status === 429 ? 'rate-limit' : 'server',
        retryable: true,
      });
    });

    it('aborts a call that hangs when the signal fires', async () => {
      server.enqueue({ type: 'hang' });
      const controller = new AbortController();
      server.onRequest = () => controller.abort();
      await expect(model().generate(ask, { signal: controller.signal })).rejects.toMatchObject({
        type: 'aborted',
      });
    });

    it('times out a hung connection', async () => {
      server.enqueue({ type: 'hang' });
      await expect(model({ callTimeoutMs: 50 }).generate(ask, { signal })).rejects.toMatchObject({
        type: 'timeout',
        retryable: true,
      });
    });

    if (transport === 'stream') {
      it('reports a stream cut mid-way as torn and retryable', async () => {
        server.enqueue({
          type: 'torn',
          answer: { type: 'text', text: 'This will not finish.' },
          afterEvents: 3,
        });
        await expect(model().generate(ask, { signal })).rejects.toMatchObject({
          type: 'stream-torn',
          retryable: true,
        });
      });
    }

    if (!(adapter.protocol === 'anthropic-messages' && transport === 'generate')) {
      it('keeps a tool call with malformed JSON and says what is wrong with it', async () => {
        server.enqueue({
          type: 'tool-calls',
          toolCalls: [{ id: 'call_x', name: 'read_file', arguments: '{"path": "a' }],
        });
        const response = await model().generate(ask, { signal });
        expect(response.toolCalls).toHaveLength(1);
        expect(response.toolCalls[0]).toMatchObject({ id: 'call_x', name: 'read_file', input: null });
        expect(response.toolCalls[0]?.inputError).toMatch(/not valid JSON/);
      });
    }
  });
});
