import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { listenOnLoopback, type TestServer } from '../../sandbox/network/testing/network-test-servers.ts';

/** A listener on the host's 127.0.0.1 that counts every connection reaching it. */
export type LoopbackListener = TestServer;

/** A TCP canary: any connection to it is an escape, so it answers each with a line naming itself. */
export function startLoopbackCanary(): Promise<LoopbackListener> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('loopback-canary-reached\n');
  });
  return listenOnLoopback(server);
}

/** The host a network allow-list names: answers `hello from <method> <path>` to every request. */
export function startAllowedHttpServer(): Promise<LoopbackListener> {
  const server = createHttpServer((request, response) => {
    response.end(`hello from ${request.method} ${request.url}\n`);
  });
  return listenOnLoopback(server);
}
