import { isIP, isIPv4, isIPv6 } from 'node:net';

/**
 * One parsed allow-list entry. A `port` of null means any port. Names and addresses never match each
 * other: a name pattern cannot let an IP literal through, and an address pattern names no host.
 */
export type HostPattern =
  | { type: 'name'; name: string; port: number | null }
  | { type: 'subdomains'; suffix: string; port: number | null }
  | { type: 'address'; address: string; port: number | null };

/** What an allow-list entry must look like, for error messages. */
export const hostPatternForms =
  'a host ("example.com"), a host and port ("example.com:443"), every subdomain ("*.example.com"), ' +
  'an IPv4 address ("127.0.0.1:8080") or a bracketed IPv6 address ("[::1]:8080")';

/** Parses an allow-list entry, or returns null when it is in none of the accepted forms. */
export function parseHostPattern(entry: string): HostPattern | null {
  const split = splitHostAndPort(entry.trim());
  if (split === null) return null;
  const { host, port } = split;
  if (port === undefined) return null;
  if (split.bracketed)
    return isIPv6(host) ? { type: 'address', address: canonicalAddress(host), port } : null;
  if (isIP(host) !== 0) return { type: 'address', address: canonicalAddress(host), port };
  if (host.startsWith('*.')) {
    const suffix = normalizeName(host.slice(2));
    return isValidHostName(suffix) ? { type: 'subdomains', suffix, port } : null;
  }
  const name = normalizeName(host);
  return isValidHostName(name) ? { type: 'name', name, port } : null;
}

/** Lowercases a host name and drops the trailing dot of a fully qualified name. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** The one spelling of an IP address that comparisons use (IPv6 compressed and lowercase). */
export function canonicalAddress(address: string): string {
  if (isIPv4(address)) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/**
 * Letters, digits, `-` and `_` in dot-separated labels. A name whose last label is all digits is
 * refused: URL parsers read it as an IPv4 address in another notation ("127.1"), not as a name.
 */
export function isValidHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (/^\d+$/.test(labels.at(-1) ?? '')) return false;
  return labels.every((label) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label));
}

interface SplitEntry {
  host: string;
  /** Null when no port was written; undefined when the port is not a number from 1 to 65535. */
  port: number | null | undefined;
  bracketed: boolean;
}

function splitHostAndPort(entry: string): SplitEntry | null {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: parsePort(bracketed[2]), bracketed: true };
  if (entry.startsWith('[')) return null;
  const colons = entry.split(':').length - 1;
  // Two colons or more can only be an IPv6 address written without brackets, which cannot carry a port.
  if (colons >= 2) return isIPv6(entry) ? { host: entry, port: null, bracketed: true } : null;
  const [host = '', portText] = entry.split(':');
  return { host, port: parsePort(portText), bracketed: false };
}

function parsePort(text: string | undefined): number | null | undefined {
  if (text === undefined) return null;
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}
