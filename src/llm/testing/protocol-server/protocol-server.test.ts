import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProtocolServer, startProtocolServer } from './protocol-server.ts';

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await server.close();
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

describe('protocol server', () => {
  it('answers with the protocol of the path and records the request', async () => {
    server.enqueue({ type: 'text', text: 'hi', usage: { inputTokens: 3, outputTokens: 1 } });
    const response = await post('/messages', { model: 'claude-x', messages: [] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      type: 'message',
      model: 'claude-x',
      content: [{ type: 'text', text: 'hi' }],
    });
    expect(server.requests.at(-1)).toMatchObject({
      protocol: 'anthropic-messages',
      stream: false,
      body: { model: 'claude-x' },
    });
  });

  it('streams server-sent events ending as each protocol ends', async () => {
    server.enqueue({ type: 'text', text: 'hello' }, { type: 'text', text: 'hello' });
    const chat = await (await post('/chat/completions', { model: 'm', stream: true })).text();
    expect(chat.trim().endsWith('data: [DONE]')).toBe(true);
    const responses = await (await post('/responses', { model: 'm', stream: true })).text();
    expect(responses).toContain('event: response.completed');
  });

  it('fails loudly with HTTP 418 when the script is used up, and 404 for unknown paths', async () => {
    const response = await post('/chat/completions', { model: 'm' });
    expect(response.status).toBe(418);
    expect(JSON.stringify(await response.json())).toMatch(/no scripted reply left/);
    expect((await post('/embeddings', {})).status).toBe(404);
  });
});
