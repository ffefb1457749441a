import type { Socket } from 'node:net';
import { connectUpstream } from './connect-upstream.ts';
import type { ProxyContext } from './proxy-context.ts';
import type { ProxyTarget } from './proxy-target.ts';
import { errorMessage, formatTarget, resolveDestination } from './resolve-destination.ts';

/** How opening a connection for a request ended; every outcome is already in the decision log. */
export type UpstreamOutcome =
  | { type: 'connected'; socket: Socket }
  | { type: 'refused'; reason: string }
  | { type: 'failed'; reason: string };

/**
 * Decides, resolves, connects and records the decision: `allowed` only once the connection is open,
 * so each request leaves exactly one entry. Never rejects.
 */
export async function openUpstream(
  context: ProxyContext,
  target: ProxyTarget,
  method: string,
  signal: AbortSignal,
): Promise<UpstreamOutcome> {
  const { host, port } = target;
  const destination = await resolveDestination(target, context.policy, signal);
  if (destination.type !== 'reachable') {
    context.record({ type: destination.type, host, port, reason: destination.reason, at: Date.now() });
    return destination;
  }
  try {
    const socket = await connectUpstream({
      addresses: destination.addresses,
      port,
      timeoutMilliseconds: context.connectTimeoutMilliseconds,
      signal,
    });
    context.track(socket);
    context.record({ type: 'allowed', host, port, method, at: Date.now() });
    return { type: 'connected', socket };
  } catch (error) {
    const reason = `cannot connect to ${formatTarget(target)}: ${errorMessage(error)}`;
    context.record({ type: 'failed', host, port, reason, at: Date.now() });
    return { type: 'failed', reason };
  }
}
