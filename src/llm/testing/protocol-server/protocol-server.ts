import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessagesWire } from './anthropic-messages-wire.ts';
import { openaiChatWire } from './openai-chat-wire.ts';
import { openaiResponsesWire } from './openai-responses-wire.ts';
import {
  type ScriptedAnswer,
  type ScriptedReply,
  type ScriptedUsage,
  type SseEvent,
  usageOf,
  type WireProtocol,
} from './scripted-reply.ts';

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

/**
 * An answer already rendered in the request's protocol, for shapes scripted replies cannot express
 * (tool calls cut off at the output limit); `usage` is what the rendered answer reports.
 */
export interface RenderedReply {
  type: 'rendered';
  json: unknown;
  events: SseEvent[];
  usage: ScriptedUsage;
}

/** What a responder answers with: a scripted reply, or an answer rendered by the responder itself. */
export type ResponderReply = ScriptedReply | RenderedReply;

/** Answers a request the script has no reply for, from the request alone. */
export type Responder = (request: RecordedRequest) => ResponderReply | Promise<ResponderReply>;

/**
 * A fault served instead of the usual answer: at one request (its 0-based index among all requests)
 * or at a seeded rate (the same seed faults the same request indexes, run after run).
 */
export type FaultRule =
  | { type: 'at'; index: number; reply: ScriptedReply }
  | { type: 'rate'; rate: number; seed?: number; reply: ScriptedReply };

/** Decides per request whether a fault replaces the usual answer; null answers as usual. */
export type FaultInjector = (request: RecordedRequest, index: number) => ScriptedReply | null;

/** One answer the server delivered whole, with the usage it reported: the ledger cost accounting is checked against. */
export interface ServedAnswer {
  /** Index of the request in `requests`. */
  requestIndex: number;
  protocol: WireProtocolName;
  /** The model name the request asked for. */
  model: string;
  stream: boolean;
  usage: Required<ScriptedUsage>;
  source: 'script' | 'responder' | 'fault';
}

/** A running local server that answers model API calls from a script. */
export interface ProtocolServer {
  /** `http://127.0.0.1:<port>/v1`, the base URL to give a provider. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Every answer (text or tool calls) delivered whole, in order; errors, hangs and torn streams are not. */
  readonly ledger: ServedAnswer[];
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
  /** Answers when the script is empty (scripted replies still go first); without it such a request gets 418. */
  respond?: Responder;
  /** Faults served in front of the script and the responder. */
  faults?: readonly FaultRule[] | FaultInjector;
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

function sendEvents(response: ServerResponse, events: readonly SseEvent[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const event of events) response.write(formatEvent(event));
  response.end();
}

/** A number in [0, 1) from a seed and a request index (murmur3's finalizer), so rate faults repeat run after run. */
function seededFraction(seed: number, index: number): number {
  let hash = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ index;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 4294967296;
}

function pickFault(
  faults: ProtocolServerOptions['faults'],
  request: RecordedRequest,
  index: number,
): ScriptedReply | null {
  if (faults === undefined) return null;
  if (typeof faults === 'function') return faults(request, index);
  for (const [position, rule] of faults.entries()) {
    switch (rule.type) {
      case 'at':
        if (rule.index === index) return rule.reply;
        break;
      case 'rate':
        if (seededFraction((rule.seed ?? 1) + position, index) < rule.rate) return rule.reply;
        break;
    }
  }
  return null;
}

/**
 * Starts a server on 127.0.0.1 (a free port) that speaks OpenAI Chat Completions, OpenAI Responses and
 * Anthropic Messages from scripted replies: JSON or SSE (as the request asks), tool calls, usage, errors,
 * hangs and torn streams. Faults go first, then the script, then the responder; a request none of them
 * answers gets HTTP 418 naming the problem, so tests fail loudly.
 */
export async function startProtocolServer(options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const script: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const ledger: ServedAnswer[] = [];

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
    const requestIndex = requests.push(recorded) - 1;
    options.onRequest?.(recorded);
    const model = typeof body.model === 'string' ? body.model : 'unknown-model';
    const record = (usage: Required<ScriptedUsage>, source: ServedAnswer['source']) => {
      ledger.push({ requestIndex, protocol: route.name, model, stream, usage, source });
    };
    const fault = pickFault(options.faults, recorded, requestIndex);
    const scripted = fault ?? script.shift();
    const reply = scripted ?? (await options.respond?.(recorded));
    if (reply === undefined) {
      const message = `protocol server: no scripted reply left for request ${requests.length} (${route.name})`;
      sendJson(response, 418, route.wire.errorBody({ type: 'error', status: 418, message }));
      return;
    }
    const source = fault ? 'fault' : scripted ? 'script' : 'responder';
    const answer = (served: ScriptedAnswer) => {
      if (stream) sendEvents(response, route.wire.events(served, model));
      else sendJson(response, 200, route.wire.json(served, model));
      record(usageOf(served), source);
    };
    switch (reply.type) {
      case 'text':
      case 'tool-calls':
        answer(reply);
        return;
      case 'rendered':
        if (stream) sendEvents(response, reply.events);
        else sendJson(response, 200, reply.json);
        // counted as a text answer with the same usage would be: defaults filled in the same way
        record(usageOf({ type: 'text', text: '', usage: reply.usage }), source);
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
    ledger,
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
