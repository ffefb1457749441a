import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { createHostMatcher } from './allowed-hosts.ts';
import { forwardRequest } from './forward-request.ts';
import { type HostLookup, systemHostLookup } from './host-lookup.ts';
import { createDecisionLog, type DecisionLog, type NetworkDecision } from './network-decision.ts';
import { replyOnSocketAndClose } from './plain-replies.ts';
import type { ProxyContext } from './proxy-context.ts';
import { tunnelConnect } from './tunnel-connect.ts';

/** What the allow-list proxy is started with. */
export interface AllowListProxyOptions {
  /** Where to listen; the path must not exist yet, and should stay under ~100 bytes (a Unix limit). */
  socketPath: string;
  /** Entries in the forms `AllowedHost` accepts; an invalid one makes the start throw. */
  allowedHosts: readonly string[];
  /** Aborting it closes the proxy, as `close()` does. */
  signal: AbortSignal;
  /** Per resolved address; 10 seconds unless given. */
  connectTimeoutMilliseconds?: number;
  /** Resolves host names; the system resolver unless given. */
  lookup?: HostLookup;
  /** Client connections open at once (tunnels included); further ones are dropped. 256 unless given. */
  maxConnections?: number;
  /** How many decisions `decisions()` keeps, newest last. 1,000 unless given. */
  decisionCapacity?: number;
  /** Called with each decision as it is made, for a live log. */
  onDecision?: (decision: NetworkDecision) => void;
}

/** A running allow-list proxy. */
export interface AllowListProxy {
  socketPath: string;
  /** The most recent decisions, oldest first. */
  decisions(): readonly NetworkDecision[];
  /** Stops listening, cuts every open connection and tunnel, and removes the socket file. */
  close(): Promise<void>;
}

// Request heads larger than this are answered 431; real clients send a few hundred bytes.
const maxHeaderBytes = 16 * 1024;

/**
 * Starts the HTTP proxy that is a sandbox's only way out in the `allow-list` network mode. It speaks
 * CONNECT and absolute-URI plain HTTP, refuses (403) and logs every target the allow-list does not
 * name, and resolves when it is listening.
 */
export async function startAllowListProxy(options: AllowListProxyOptions): Promise<AllowListProxy> {
  options.signal.throwIfAborted();
  const log = createDecisionLog(options.decisionCapacity ?? 1_000);
  const closing = new AbortController();
  const sockets = new Set<Socket>();
  const server = createProxyServer(createContext(options, log, sockets, closing.signal));
  server.maxConnections = options.maxConnections ?? 256;
  await listen(server, options.socketPath);
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= closeServer(server, sockets, closing);
    return closed;
  };
  const onAbort = () => void close();
  options.signal.addEventListener('abort', onAbort, { once: true });
  closing.signal.addEventListener('abort', () => options.signal.removeEventListener('abort', onAbort));
  if (options.signal.aborted) {
    await close();
    options.signal.throwIfAborted();
  }
  return { socketPath: options.socketPath, decisions: log.list, close };
}

function createContext(
  options: AllowListProxyOptions,
  log: DecisionLog,
  sockets: Set<Socket>,
  closingSignal: AbortSignal,
): ProxyContext {
  return {
    policy: { matcher: createHostMatcher(options.allowedHosts), lookup: options.lookup ?? systemHostLookup },
    connectTimeoutMilliseconds: options.connectTimeoutMilliseconds ?? 10_000,
    record(decision) {
      log.record(decision);
      try {
        options.onDecision?.(decision);
      } catch {
        // An observer that throws must not take the proxy, and every sandboxed command's network, down.
      }
    },
    track(socket) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.once('close', () => sockets.delete(socket));
      if (closingSignal.aborted) socket.destroy();
    },
    signal: closingSignal,
  };
}

function createProxyServer(context: ProxyContext): Server {
  const server = createServer({ maxHeaderSize: maxHeaderBytes, headersTimeout: 30_000 });
  server.on('connection', (socket: Socket) => context.track(socket));
  server.on('request', (request, response) => forwardRequest(context, request, response));
  // The HTTP server hands over the socket it accepted, a net.Socket, typed as a plain Duplex.
  server.on('connect', (request, socket, head) => tunnelConnect(context, request, socket as Socket, head));
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const text = tooLarge ? 'cadre sandbox: request head too large' : 'cadre sandbox: malformed HTTP request';
    replyOnSocketAndClose(socket as Socket, tooLarge ? 431 : 400, text);
  });
  // Accept failures (out of file descriptors) are reported here; the proxy keeps serving the rest.
  server.on('error', () => {});
  return server;
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeServer(server: Server, sockets: Set<Socket>, closing: AbortController): Promise<void> {
  closing.abort();
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  await stopped;
}
