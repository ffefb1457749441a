import { describe, expect, it } from 'vitest';
import { internalAddressKind } from './internal-address.ts';

describe('internalAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.200.3.4', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
  ])('classes %s as %s', (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });

  it.each(['93.184.215.14', '10.0.0.1', '128.0.0.1', '169.255.0.1', '2606:4700::1', 'fec0::1'])(
    'lets %s through',
    (address) => {
      expect(internalAddressKind(address)).toBeNull();
    },
  );
});
