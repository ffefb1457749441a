import { connect, type Socket } from 'node:net';

/** Where and how long to try. */
export interface ConnectUpstreamOptions {
  /** IP addresses, tried in order until one accepts. */
  addresses: readonly string[];
  port: number;
  /** Per address. */
  timeoutMilliseconds: number;
  signal: AbortSignal;
}

/**
 * Opens a TCP connection to the first address that accepts; rejects with the last failure. Addresses
 * are IP literals, so net.connect does no lookup of its own.
 */
export async function connectUpstream(options: ConnectUpstreamOptions): Promise<Socket> {
  let lastError: unknown = new Error('no address to connect to');
  for (const address of options.addresses) {
    options.signal.throwIfAborted();
    try {
      return await connectToAddress(address, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function connectToAddress(address: string, options: ConnectUpstreamOptions): Promise<Socket> {
  const { port, timeoutMilliseconds, signal } = options;
  return new Promise((resolve, reject) => {
    // Half-open stays allowed so a client that shuts its sending side still gets the whole answer.
    const socket = connect({ host: address, port, allowHalfOpen: true });
    const settle = (error: Error | null) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('error', settle);
      socket.off('connect', onConnect);
      if (error === null) return resolve(socket);
      socket.destroy();
      reject(error);
    };
    const onConnect = () => settle(null);
    const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(
      () =>
        settle(new Error(`connecting to ${address} port ${port} timed out after ${timeoutMilliseconds} ms`)),
      timeoutMilliseconds,
    );
    socket.once('connect', onConnect);
    socket.once('error', settle);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
