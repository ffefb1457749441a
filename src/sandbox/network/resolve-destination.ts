import { isIP } from 'node:net';
import type { HostMatcher } from './allowed-hosts.ts';
import type { HostLookup } from './host-lookup.ts';
import { internalAddressKind } from './internal-address.ts';
import type { ProxyTarget } from './proxy-target.ts';

/** The allow-list's answer for one target: the addresses to connect to, or why not. */
export type Destination =
  | { type: 'reachable'; addresses: readonly string[] }
  | { type: 'refused'; reason: string }
  | { type: 'failed'; reason: string };

/** What deciding a destination needs. */
export interface DestinationPolicy {
  matcher: HostMatcher;
  lookup: HostLookup;
}

/**
 * Checks the target against the allow-list and resolves a name once. The caller must connect to the
 * returned addresses, never to the name: a second lookup could answer differently (DNS rebinding).
 */
export async function resolveDestination(
  target: ProxyTarget,
  policy: DestinationPolicy,
  signal: AbortSignal,
): Promise<Destination> {
  if (!policy.matcher(target.host, target.port)) {
    const reason = `${formatTarget(target)} is not in the sandbox's network allow-list (config key network.hosts)`;
    return { type: 'refused', reason };
  }
  // An IP literal on the list was written there on purpose, so it may be loopback or link-local.
  if (isIP(target.host) !== 0) return { type: 'reachable', addresses: [target.host] };
  let addresses: readonly string[];
  try {
    addresses = (await policy.lookup(target.host, signal)).filter((address) => isIP(address) !== 0);
  } catch (error) {
    return { type: 'failed', reason: `cannot resolve ${target.host}: ${errorMessage(error)}` };
  }
  if (addresses.length === 0) return { type: 'failed', reason: `${target.host} resolves to no address` };
  for (const address of addresses) {
    const kind = internalAddressKind(address);
    if (kind === null) continue;
    const reason =
      `${target.host} resolves to ${address}, a ${kind} address; only an IP address written in the ` +
      `sandbox's network allow-list (config key network.hosts) may reach one`;
    return { type: 'refused', reason };
  }
  return { type: 'reachable', addresses };
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatTarget(target: ProxyTarget): string {
  return isIP(target.host) === 6 ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** The message of an error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
