import { lookup } from 'node:dns/promises';

/** Resolves a host name to every IP address it has; tests inject one that never touches DNS. */
export type HostLookup = (host: string, signal: AbortSignal) => Promise<readonly string[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), in the order it returns the addresses. */
export async function systemHostLookup(host: string, signal: AbortSignal): Promise<readonly string[]> {
  signal.throwIfAborted();
  // dns.lookup cannot be cancelled; racing the signal at least frees the caller.
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const results = await Promise.race([lookup(host, { all: true, verbatim: true }), aborted]);
    return results.map((result) => result.address);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
