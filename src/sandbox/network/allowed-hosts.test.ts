import { describe, expect, it } from 'vitest';
import { AllowedHost, createHostMatcher } from './allowed-hosts.ts';

describe('AllowedHost', () => {
  it.each([
    'example.com',
    'api.example.com:443',
    '*.example.com',
    '*.example.com:8443',
    'Example.COM.',
    '127.0.0.1:8080',
    '10.0.0.1',
    '[::1]:9000',
    '[fe80::1]',
    '::1',
    'my_service.internal',
  ])('accepts %s', (entry) => {
    expect(AllowedHost.safeParse(entry).success).toBe(true);
  });

  it.each([
    '',
    'http://example.com',
    'example.com/path',
    'example.com:0',
    'example.com:65536',
    'example.com:https',
    '*.',
    '*example.com',
    'a.*.example.com',
    'exa mple.com',
    '-bad.example.com',
    '127.1',
    '[example.com]:80',
    '[::1',
    '::1:80:zz',
    'user@example.com',
  ])('refuses %j and says which forms are expected', (entry) => {
    const result = AllowedHost.safeParse(entry);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"*.example.com"');
  });
});

describe('createHostMatcher', () => {
  it('lets a bare name through on any port, ignoring case and a trailing dot', () => {
    const allowed = createHostMatcher(['Registry.NPMjs.org.']);
    expect(allowed('registry.npmjs.org', 443)).toBe(true);
    expect(allowed('REGISTRY.npmjs.org.', 80)).toBe(true);
    expect(allowed('npmjs.org', 443)).toBe(false);
    expect(allowed('evil-registry.npmjs.org', 443)).toBe(false);
  });

  it('holds a name with a port to that port', () => {
    const allowed = createHostMatcher(['api.example.com:443']);
    expect(allowed('api.example.com', 443)).toBe(true);
    expect(allowed('api.example.com', 80)).toBe(false);
  });

  it('lets a wildcard match every subdomain but not the apex or a look-alike', () => {
    const allowed = createHostMatcher(['*.example.com']);
    expect(allowed('a.example.com', 443)).toBe(true);
    expect(allowed('a.b.example.com', 1)).toBe(true);
    expect(allowed('example.com', 443)).toBe(false);
    expect(allowed('badexample.com', 443)).toBe(false);
    expect(allowed('example.com.evil.net', 443)).toBe(false);
  });

  it('matches IP literals only against IP entries, in any spelling of the address', () => {
    const allowed = createHostMatcher(['127.0.0.1:8080', '[::1]:9000', 'localhost']);
    expect(allowed('127.0.0.1', 8080)).toBe(true);
    expect(allowed('127.0.0.1', 8081)).toBe(false);
    expect(allowed('127.0.0.2', 8080)).toBe(false);
    expect(allowed('[::1]', 9000)).toBe(true);
    expect(allowed('0:0:0:0:0:0:0:1', 9000)).toBe(true);
    expect(allowed('::1', 9001)).toBe(false);
    // A name entry never admits an address, and an address entry never admits a name.
    expect(allowed('127.0.0.1', 80)).toBe(false);
    expect(allowed('localhost', 80)).toBe(true);
  });

  it('allows nothing with an empty list, and throws on an entry that does not parse', () => {
    expect(createHostMatcher([])('example.com', 443)).toBe(false);
    expect(() => createHostMatcher(['example.com', 'http://x'])).toThrow(
      /"http:\/\/x" is not an allowed host/,
    );
  });
});
