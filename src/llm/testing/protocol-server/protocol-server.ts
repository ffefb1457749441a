import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessagesWire } from './anthropic-messages-wire.ts';
import { openaiChatWire } from './openai-chat-wire.ts';
import { openaiResponsesWire } from './openai-responses-wire.ts';
import type { ScriptedReply, SseEvent, WireProtocol } from './scripted-reply.ts';

/** The wire protocols the server speaks. */
export type WireProtocolName = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

/** One request the server received, as the client sent it. */
export interface RecordedRequest {
  protocol: WireProtocolName;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  stream: boolean;
}

/** A running local server that answers model API calls from a script. */
export interface ProtocolServer {
  /** `http://127.0.0.1:<port>/v1`, the base URL to give a provider. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Adds replies to the end of the script; each request consumes one. */
  enqueue(...replies: ScriptedReply[]): void;
  /** How many scripted replies are still waiting for a request. */
  remaining(): number;
  close(): Promise<void>;
}

/** What the protocol server can be told at start. */
export interface ProtocolServerOptions {
  /** Called with each request once it is recorded, before it is answered (tests use it to abort mid-call). */
  onRequest?: (request: RecordedRequest) => void;
}

const routes: Record<string, { name: WireProtocolName; wire: WireProtocol }> = {
  '/v1/chat/completions': { name: 'openai-chat', wire: openaiChatWire },
  '/v1/responses': { name: 'openai-responses', wire: openaiResponsesWire },
  '/v1/messages': { name: 'anthropic-messages', wire: anthropicMessagesWire },
};

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return { unparsedBody: text };
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function formatEvent(event: SseEvent): string {
  return `${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${event.data}\n\n`;
}

/**
 * Starts a server on 127.0.0.1 (a free port) that speaks OpenAI Chat Completions, OpenAI Responses and
 * Anthropic Messages from scripted replies: JSON or SSE (as the request asks), tool calls, usage, errors,
 * hangs and torn streams. A request beyond the script gets HTTP 418 naming the problem, so tests fail loudly.
 */
export async function startProtocolServer(options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const script: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (request.method !== 'POST' || route === undefined) {
      sendJson(response, 404, {
        error: { message: `protocol server: no route for ${request.method} ${path}` },
      });
      return;
    }
    const body = await readBody(request);
    const stream = body.stream === true;
    const recorded: RecordedRequest = { protocol: route.name, path, headers: request.headers, body, stream };
    requests.push(recorded);
    options.onRequest?.(recorded);
    const reply = script.shift();
    if (reply === undefined) {
      const message = `protocol server: no scripted reply left for request ${requests.length} (${route.name})`;
      sendJson(response, 418, route.wire.errorBody({ type: 'error', status: 418, message }));
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'unknown-model';
    switch (reply.type) {
      case 'text':
      case 'tool-calls':
        if (!stream) {
          sendJson(response, 200, route.wire.json(reply, model));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const event of route.wire.events(reply, model)) response.write(formatEvent(event));
        response.end();
        return;
      case 'error':
        sendJson(response, reply.status, reply.body ?? route.wire.errorBody(reply), reply.headers);
        return;
      case 'hang':
        // Say nothing; the client's abort or close() ends the connection.
        return;
      case 'torn': {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const events = route.wire.events(reply.answer, model).slice(0, reply.afterEvents);
        for (const event of events) response.write(formatEvent(event));
        // Half an event, then a dropped connection: the way a proxy timeout looks from the client.
        response.write('data: {"type":"trunc');
        setImmediate(() => response.socket?.destroy());
        return;
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { message: `protocol server: ${String(error)}` } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => {
      script.push(...replies);
    },
    remaining: () => script.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
