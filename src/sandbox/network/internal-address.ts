import { BlockList, isIPv4 } from 'node:net';

/** Why a resolved address is off limits to a host name, even one on the allow-list. */
export type InternalAddressKind = 'loopback' | 'link-local' | 'unspecified';

interface InternalRange {
  kind: InternalAddressKind;
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

// Link-local holds 169.254.169.254, the cloud metadata service that hands out credentials.
const internalRanges: readonly InternalRange[] = [
  { kind: 'loopback', network: '127.0.0.0', prefix: 8, family: 'ipv4' },
  { kind: 'loopback', network: '::1', prefix: 128, family: 'ipv6' },
  { kind: 'link-local', network: '169.254.0.0', prefix: 16, family: 'ipv4' },
  { kind: 'link-local', network: 'fe80::', prefix: 10, family: 'ipv6' },
  { kind: 'unspecified', network: '0.0.0.0', prefix: 8, family: 'ipv4' },
  { kind: 'unspecified', network: '::', prefix: 128, family: 'ipv6' },
];

/**
 * The kind of internal address `address` is, or null for an ordinary one. IPv4 ranges also catch their
 * IPv4-mapped IPv6 spellings (`::ffff:127.0.0.1`), which BlockList compares as the IPv4 address.
 */
export function internalAddressKind(address: string): InternalAddressKind | null {
  const family = isIPv4(address) ? 'ipv4' : 'ipv6';
  for (const range of internalRanges) {
    const blockList = new BlockList();
    blockList.addSubnet(range.network, range.prefix, range.family);
    if (blockList.check(address, family)) return range.kind;
  }
  return null;
}
