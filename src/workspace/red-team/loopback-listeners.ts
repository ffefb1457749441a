import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

/** A listener on the host's 127.0.0.1 that counts every connection reaching it. */
export interface LoopbackListener {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

/** A TCP canary: any connection to it is an escape, so it answers each with a line naming itself. */
export function startLoopbackCanary(): Promise<LoopbackListener> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('loopback-canary-reached\n');
  });
  return listen(server);
}

/** The host a network allow-list names: answers `hello from <method> <path>` to every request. */
export function startAllowedHttpServer(): Promise<LoopbackListener> {
  const server = createHttpServer((request, response) => {
    response.end(`hello from ${request.method} ${request.url}\n`);
  });
  return listen(server);
}

async function listen(server: Server): Promise<LoopbackListener> {
  let connections = 0;
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections += 1;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
