import { describe, expect, it } from 'vitest';
import { parseConnectTarget, parseForwardTarget } from './proxy-target.ts';

describe('parseConnectTarget', () => {
  it('reads host:port, lowercasing names and giving one spelling to addresses', () => {
    expect(parseConnectTarget('Example.COM:443')).toEqual({ host: 'example.com', port: 443 });
    expect(parseConnectTarget('[0:0::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseConnectTarget('0x7f.1:80')).toEqual({ host: '127.0.0.1', port: 80 });
  });

  it.each(['example.com', 'example.com:0', 'example.com:70000', '::1:80', 'a b:80', 'user@host:80', ''])(
    'refuses %j',
    (target) => {
      expect(parseConnectTarget(target)).toBeNull();
    },
  );
});

describe('parseForwardTarget', () => {
  it('splits an absolute http URL into where to connect and what to send', () => {
    expect(parseForwardTarget('http://User:pw@Example.com:8080/a/b?c=d#frag')).toEqual({
      host: 'example.com',
      port: 8080,
      path: '/a/b?c=d',
      authority: 'example.com:8080',
    });
    expect(parseForwardTarget('http://[::1]/')).toEqual({
      host: '::1',
      port: 80,
      path: '/',
      authority: '[::1]',
    });
  });

  it.each(['/relative', 'https://example.com/', 'ftp://example.com/', 'http://', '*'])(
    'refuses %j',
    (target) => {
      expect(parseForwardTarget(target)).toBeNull();
    },
  );
});
