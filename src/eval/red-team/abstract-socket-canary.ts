import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';

/** A listener on a Linux abstract Unix socket: no file to hide, only a network namespace keeps it apart. */
export interface AbstractSocketCanary {
  /** The socket's name without the leading NUL byte. */
  name: string;
  /** Connections accepted so far; any is an escape. */
  connections(): number;
  close(): Promise<void>;
}

/** Listens on a fresh abstract socket name. */
export async function startAbstractSocketCanary(): Promise<AbstractSocketCanary> {
  const name = `cadre-red-team-canary-${randomBytes(6).toString('hex')}`;
  let connections = 0;
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    connections += 1;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
    socket.end('abstract-canary-reached\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(`\0${name}`, resolve);
  });
  return {
    name,
    connections: () => connections,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
