import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AllowListProxyOptions, startAllowListProxy } from './allow-list-proxy.ts';
import {
  answerUntilClosed,
  createSocketDirectory,
  nextChunk,
  openTunnel,
  rawExchange,
  startEchoServer,
  startHttpServer,
} from './testing/network-test-servers.ts';

// Everything here is loopback and takes milliseconds; a hang means a broken tunnel, so fail fast.
vi.setConfig({ testTimeout: 5_000 });

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startProxy(options: Omit<AllowListProxyOptions, 'socketPath' | 'signal'>) {
  const directory = await createSocketDirectory();
  const controller = new AbortController();
  const proxy = await startAllowListProxy({
    socketPath: directory.socketPath,
    signal: controller.signal,
    ...options,
  });
  cleanups.push(directory.remove, () => proxy.close());
  return { proxy, controller };
}

async function echoServer() {
  const server = await startEchoServer();
  cleanups.push(server.close);
  return server;
}

async function httpServer() {
  const server = await startHttpServer();
  cleanups.push(server.close);
  return server;
}

/** An HTTP request sent to the proxy's socket with an absolute-URI target. */
function proxiedRequest(
  socketPath: string,
  url: string,
  options: { method?: string; body?: string; headers?: IncomingHttpHeaders } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      socketPath,
      path: url,
      method: options.method ?? 'GET',
      headers: options.headers,
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('CONNECT', () => {
  it('tunnels bytes both ways to an allowed target, and passes a half-close through', async () => {
    const echo = await echoServer();
    const { proxy } = await startProxy({ allowedHosts: [`127.0.0.1:${echo.port}`] });
    const { socket, reply } = await openTunnel(proxy.socketPath, `127.0.0.1:${echo.port}`);
    expect(reply).toBe('HTTP/1.1 200 Connection Established\r\n\r\n');
    socket.write('ping');
    expect(await nextChunk(socket)).toBe('echo:ping');
    const answer = nextChunk(socket);
    const ended = new Promise((resolve) => socket.once('end', resolve));
    socket.end('last');
    expect(await answer).toBe('echo:last');
    await ended;
    expect(proxy.decisions()).toEqual([
      { type: 'allowed', host: '127.0.0.1', port: echo.port, method: 'CONNECT', at: expect.any(Number) },
    ]);
  });

  it('refuses a port that is not listed with 403 and logs it, without connecting', async () => {
    const echo = await echoServer();
    const decisions: unknown[] = [];
    const { proxy } = await startProxy({
      allowedHosts: [`127.0.0.1:${echo.port + 1}`],
      onDecision: (decision) => decisions.push(decision),
    });
    const answer = await rawExchange(proxy.socketPath, `CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(answer).toContain(`127.0.0.1:${echo.port} is not in the sandbox's network allow-list`);
    expect(answer).toContain('network.hosts');
    expect(echo.connections()).toBe(0);
    expect(proxy.decisions()).toEqual([expect.objectContaining({ type: 'refused', port: echo.port })]);
    expect(decisions).toEqual(proxy.decisions());
  });

  it('answers 502 and logs a failure when an allowed target refuses the connection', async () => {
    const echo = await echoServer();
    const closedPort = echo.port;
    await echo.close();
    const { proxy } = await startProxy({ allowedHosts: [`127.0.0.1:${closedPort}`] });
    const answer = await rawExchange(proxy.socketPath, `CONNECT 127.0.0.1:${closedPort} HTTP/1.1\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 502 /);
    expect(proxy.decisions()).toEqual([expect.objectContaining({ type: 'failed', port: closedPort })]);
  });
});

describe('plain HTTP', () => {
  it('forwards an absolute-URI request in origin form and streams the answer back', async () => {
    const server = await httpServer();
    const { proxy } = await startProxy({ allowedHosts: [`127.0.0.1:${server.port}`] });
    const url = `http://127.0.0.1:${server.port}/hello?name=x`;
    const answer = await proxiedRequest(proxy.socketPath, url, {
      method: 'POST',
      body: 'payload',
      headers: { 'proxy-authorization': 'Basic secret', 'x-kept': 'yes' },
    });
    expect(answer).toEqual({ status: 200, body: 'hello from POST /hello?name=x' });
    const [seen] = server.seen;
    expect(seen?.body).toBe('payload');
    expect(seen?.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(seen?.headers['x-kept']).toBe('yes');
    expect(seen?.headers['proxy-authorization']).toBeUndefined();
    expect(proxy.decisions()).toEqual([expect.objectContaining({ type: 'allowed', method: 'POST' })]);
  });

  it('refuses a server that is not listed with 403', async () => {
    const server = await httpServer();
    const { proxy } = await startProxy({ allowedHosts: ['example.com'] });
    const answer = await proxiedRequest(proxy.socketPath, `http://127.0.0.1:${server.port}/`);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('network.hosts');
    expect(server.connections()).toBe(0);
  });
});

describe('names that resolve to internal addresses', () => {
  it('refuses a listed name resolving to loopback or link-local, and never connects', async () => {
    const echo = await echoServer();
    const addresses: Record<string, string[]> = {
      'internal.test': ['127.0.0.1'],
      'metadata.test': ['169.254.169.254'],
    };
    const { proxy } = await startProxy({
      allowedHosts: ['internal.test', 'metadata.test'],
      lookup: async (host) => addresses[host] ?? [],
    });
    const tunnel = await rawExchange(proxy.socketPath, `CONNECT internal.test:${echo.port} HTTP/1.1\r\n\r\n`);
    expect(tunnel).toMatch(/^HTTP\/1\.1 403 /);
    expect(tunnel).toContain('internal.test resolves to 127.0.0.1, a loopback address');
    const forward = await proxiedRequest(proxy.socketPath, 'http://metadata.test/latest/meta-data/');
    expect(forward.status).toBe(403);
    expect(forward.body).toContain('169.254.169.254, a link-local address');
    expect(echo.connections()).toBe(0);
    expect(proxy.decisions().map((decision) => decision.type)).toEqual(['refused', 'refused']);
  });

  it('reports a name that does not resolve as a failure', async () => {
    const { proxy } = await startProxy({
      allowedHosts: ['missing.test'],
      lookup: async () => {
        throw new Error('getaddrinfo ENOTFOUND missing.test');
      },
    });
    const answer = await proxiedRequest(proxy.socketPath, 'http://missing.test/');
    expect(answer.status).toBe(502);
    expect(proxy.decisions()).toEqual([
      expect.objectContaining({ type: 'failed', reason: expect.stringContaining('ENOTFOUND') }),
    ]);
  });
});

describe('robustness', () => {
  it('answers garbage with 400, an origin-form request with 400, and keeps serving', async () => {
    const server = await httpServer();
    const { proxy } = await startProxy({ allowedHosts: [`127.0.0.1:${server.port}`] });
    expect(await rawExchange(proxy.socketPath, '\x16\x03\x01 not http at all\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 400 /,
    );
    const originForm = await proxiedRequest(proxy.socketPath, '/relative');
    expect(originForm.status).toBe(400);
    const answer = await proxiedRequest(proxy.socketPath, `http://127.0.0.1:${server.port}/after`);
    expect(answer.body).toBe('hello from GET /after');
  });

  it('answers an oversized request head with 431', async () => {
    const { proxy } = await startProxy({ allowedHosts: [] });
    const head = `GET http://a.test/ HTTP/1.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expect(await rawExchange(proxy.socketPath, head)).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('survives clients that disconnect mid-request and while their target is being resolved', async () => {
    const server = await httpServer();
    let lookups = 0;
    const { proxy } = await startProxy({
      allowedHosts: ['slow.test', `127.0.0.1:${server.port}`],
      lookup: async () => {
        lookups += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return ['127.0.0.1'];
      },
    });
    const partial = connect(proxy.socketPath);
    partial.write('GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127');
    partial.destroy();
    const resolving = connect(proxy.socketPath);
    resolving.write('CONNECT slow.test:443 HTTP/1.1\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 10));
    resolving.destroy();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(lookups).toBe(1);
    const answer = await proxiedRequest(proxy.socketPath, `http://127.0.0.1:${server.port}/still`);
    expect(answer.body).toBe('hello from GET /still');
  });

  it('drops connections beyond the limit while a tunnel holds the only slot', async () => {
    const echo = await echoServer();
    const { proxy } = await startProxy({ allowedHosts: [`127.0.0.1:${echo.port}`], maxConnections: 1 });
    const { reply } = await openTunnel(proxy.socketPath, `127.0.0.1:${echo.port}`);
    expect(reply).toContain(' 200 ');
    expect(await answerUntilClosed(proxy.socketPath)).toBe('');
    expect(proxy.decisions()).toHaveLength(1);
  });

  it('keeps the decision log to its capacity', async () => {
    const { proxy } = await startProxy({ allowedHosts: [], decisionCapacity: 2 });
    for (const port of [1, 2, 3])
      await rawExchange(proxy.socketPath, `CONNECT a.test:${port} HTTP/1.1\r\n\r\n`);
    expect(proxy.decisions().map((decision) => decision.port)).toEqual([2, 3]);
  });
});

describe('closing', () => {
  it('close() ends open tunnels on both sides and removes the socket file', async () => {
    const echo = await echoServer();
    const { proxy } = await startProxy({ allowedHosts: [`127.0.0.1:${echo.port}`] });
    const { socket } = await openTunnel(proxy.socketPath, `127.0.0.1:${echo.port}`);
    socket.write('ping');
    await nextChunk(socket);
    expect(echo.openConnections()).toBe(1);
    const clientClosed = new Promise((resolve) => socket.once('close', resolve));
    await proxy.close();
    await clientClosed;
    await vi.waitFor(() => expect(echo.openConnections()).toBe(0));
    expect(existsSync(proxy.socketPath)).toBe(false);
  });

  it('aborting the signal closes the proxy', async () => {
    const { proxy, controller } = await startProxy({ allowedHosts: [] });
    controller.abort();
    await proxy.close();
    expect(existsSync(proxy.socketPath)).toBe(false);
  });

  it('does not start with an aborted signal or an invalid entry', async () => {
    const directory = await createSocketDirectory();
    cleanups.push(directory.remove);
    const options = { socketPath: directory.socketPath, allowedHosts: [] };
    await expect(startAllowListProxy({ ...options, signal: AbortSignal.abort() })).rejects.toThrow();
    const signal = new AbortController().signal;
    await expect(startAllowListProxy({ ...options, allowedHosts: ['http://x'], signal })).rejects.toThrow(
      /not an allowed host/,
    );
  });
});
