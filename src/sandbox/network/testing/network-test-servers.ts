import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A loopback server a test started, and how many connections reached it. */
export interface TestServer {
  port: number;
  /** Every connection accepted so far. */
  connections(): number;
  /** Connections still open. */
  openConnections(): number;
  close(): Promise<void>;
}

/** What the test HTTP server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A fresh directory for a proxy socket; kept short because Unix socket paths stop near 100 bytes. */
export async function createSocketDirectory(): Promise<{ socketPath: string; remove(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'cadre-net-'));
  return {
    socketPath: join(directory, 'proxy.sock'),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** A TCP server on 127.0.0.1 that answers each chunk with `echo:<chunk>` and ends when the client does. */
export function startEchoServer(): Promise<TestServer> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('data', (chunk) => socket.write(`echo:${chunk}`));
    socket.on('end', () => socket.end());
    socket.on('error', () => {});
  });
  return listenOnLoopback(server);
}

/** An HTTP server on 127.0.0.1 that records each request and answers with a body naming it. */
export async function startHttpServer(): Promise<TestServer & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      response.end(`hello from ${request.method} ${request.url}`);
    });
  });
  return { ...(await listenOnLoopback(server)), seen };
}

/** Listens on a free port of 127.0.0.1, counting connections; close() cuts the open ones. */
export async function listenOnLoopback(server: Server): Promise<TestServer> {
  let connections = 0;
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections += 1;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of open) socket.destroy();
    await closed;
  };
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    openConnections: () => open.size,
    close,
  };
}

/** Sends raw bytes to the proxy's socket, ends, and returns everything it answers until it closes. */
export function rawExchange(socketPath: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    // Ending our side makes even a wrongly opened tunnel close soon, so a bad answer fails fast.
    socket.end(text);
  });
}

/** Sends `CONNECT target` and resolves with the socket and the proxy's reply head once it has arrived. */
export function openTunnel(socketPath: string, target: string): Promise<{ socket: Socket; reply: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let reply = '';
    const onData = (chunk: Buffer) => {
      reply += chunk;
      if (!reply.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve({ socket, reply });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.on('close', () => resolve({ socket, reply }));
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}

/** Connects to the proxy and resolves with what it sent once it closes the connection, errors aside. */
export function answerUntilClosed(socketPath: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
  });
}

/** The next chunk the socket receives, as text. */
export function nextChunk(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
}
