import type { Socket } from 'node:net';
import type { NetworkDecision } from './network-decision.ts';
import type { DestinationPolicy } from './resolve-destination.ts';

/** What the request handlers share with the proxy that owns them. */
export interface ProxyContext {
  policy: DestinationPolicy;
  connectTimeoutMilliseconds: number;
  record(decision: NetworkDecision): void;
  /** Hands a socket to the proxy: it is destroyed when the proxy closes, and its errors never throw. */
  track(socket: Socket): void;
  /** Aborted when the proxy closes. */
  signal: AbortSignal;
}
