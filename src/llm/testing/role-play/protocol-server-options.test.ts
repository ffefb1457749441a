// The protocol server's responder, fault and ledger options (the server's own test file covers the script).
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProtocolServer,
  type ProtocolServerOptions,
  startProtocolServer,
} from '../protocol-server/protocol-server.ts';
import type { ScriptedReply } from '../protocol-server/scripted-reply.ts';
import { renderTruncatedToolCalls } from './truncated-reply.ts';

let server: ProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ProtocolServerOptions): Promise<ProtocolServer> {
  server = await startProtocolServer(options);
  return server;
}

async function post(target: ProtocolServer, body: Record<string, unknown> = {}, path = '/chat/completions') {
  const response = await fetch(`${target.baseURL}${path}`, {
    method: 'POST',
    body: JSON.stringify({ model: 'm', messages: [], ...body }),
  });
  return { status: response.status, text: await response.text() };
}

const hello: ScriptedReply = {
  type: 'text',
  text: 'from the responder',
  usage: { inputTokens: 7, outputTokens: 3 },
};

describe('protocol server options', () => {
  it('answers from the script first and from the responder once the script is empty', async () => {
    const seen: string[] = [];
    const target = await start({
      respond: (request) => {
        seen.push(request.protocol);
        return hello;
      },
    });
    target.enqueue({ type: 'text', text: 'scripted' });
    expect((await post(target)).text).toContain('scripted');
    expect((await post(target)).text).toContain('from the responder');
    expect(seen).toEqual(['openai-chat']);
    expect(target.ledger.map((entry) => entry.source)).toEqual(['script', 'responder']);
  });

  it('serves faults in front of both: at a request index, at a seeded rate, or as a function decides', async () => {
    const busy: ScriptedReply = { type: 'error', status: 429, headers: { 'retry-after': '1' } };
    const target = await start({ respond: () => hello, faults: [{ type: 'at', index: 1, reply: busy }] });
    const statuses = [(await post(target)).status, (await post(target)).status, (await post(target)).status];
    expect(statuses).toEqual([200, 429, 200]);

    const rated = async (seed: number) => {
      const rateServer = await startProtocolServer({
        respond: () => hello,
        faults: [{ type: 'rate', rate: 0.5, seed, reply: { type: 'error', status: 500 } }],
      });
      const codes: number[] = [];
      for (let index = 0; index < 20; index++) codes.push((await post(rateServer)).status);
      await rateServer.close();
      return codes;
    };
    const first = await rated(3);
    expect(await rated(3)).toEqual(first);
    expect(first.filter((status) => status === 500).length).toBeGreaterThan(3);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(3);

    const byModel = await startProtocolServer({
      respond: () => hello,
      faults: (request) => (request.body.model === 'gone' ? { type: 'error', status: 404 } : null),
    });
    expect([(await post(byModel, { model: 'gone' })).status, (await post(byModel)).status]).toEqual([
      404, 200,
    ]);
    await byModel.close();
  });

  it('keeps in its ledger only answers delivered whole: not errors, torn streams or hangs', async () => {
    const replies: ScriptedReply[] = [
      { type: 'error', status: 500 },
      { type: 'torn', answer: hello as Extract<ScriptedReply, { type: 'text' }>, afterEvents: 1 },
    ];
    const target = await start({ respond: () => replies.shift() ?? hello });
    await post(target);
    await post(target, { stream: true }).catch(() => undefined);
    await post(target, { stream: true });
    expect(target.ledger).toEqual([
      {
        requestIndex: 2,
        protocol: 'openai-chat',
        model: 'm',
        stream: true,
        usage: {
          inputTokens: 7,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 3,
          reasoningTokens: 0,
        },
        source: 'responder',
      },
    ]);
  });

  it('sends a rendered answer as JSON or as its events, as the request asks', async () => {
    const answer = { type: 'tool-calls' as const, toolCalls: [{ name: 'land', arguments: '{"mess' }] };
    const target = await start({
      respond: (request) => renderTruncatedToolCalls(request.protocol, answer, 'm'),
    });
    expect(JSON.parse((await post(target)).text)).toMatchObject({ choices: [{ finish_reason: 'length' }] });
    expect((await post(target, { stream: true })).text).toContain('"finish_reason":"length"');
    const anthropic = await post(target, { stream: true }, '/messages');
    expect(anthropic.text).toContain('"stop_reason":"max_tokens"');
    const responses = JSON.parse((await post(target, {}, '/responses')).text);
    expect(responses).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect((await post(target, { stream: true }, '/responses')).text).toContain('event: response.incomplete');
  });
});
