import { describe, expect, it } from 'vitest';
import {
  type BubblewrapArgumentsOptions,
  bubblewrapArguments,
  insideProxyPaths,
} from './bubblewrap-arguments.ts';
import type { HostLayout } from './host-layout.ts';

const layout: HostLayout = {
  systemEntries: [
    { type: 'directory', path: '/usr' },
    { type: 'symlink', path: '/bin', target: 'usr/bin' },
    { type: 'directory', path: '/etc' },
  ],
  toolchainDirectories: ['/opt/node'],
  hiddenFiles: ['/etc/shadow'],
  hiddenDirectories: ['/etc/ssl/private'],
  resolverFile: '/run/systemd/resolve/stub-resolv.conf',
  procReadOnly: ['/proc/sys'],
  procHidden: ['/proc/kcore'],
};

function build(overrides: Partial<BubblewrapArgumentsOptions> = {}): string {
  return bubblewrapArguments({
    layout,
    worktreeRoot: '/tmp/w',
    workingDirectory: '/tmp/w/src',
    git: { ownDirectory: '/tmp/w/.git', borrowed: ['/tmp/hub.git/objects'] },
    protectGitDirectory: true,
    network: 'none',
    proxy: null,
    extraReadOnlyPaths: [],
    extraWritablePaths: [],
    environment: { PATH: '/usr/bin' },
    command: ['/bin/bash', '-c', 'make'],
    ...overrides,
  }).join(' ');
}

describe('bubblewrapArguments', () => {
  it('shows only the system directories, less the secrets in /etc, never the whole root', () => {
    const args = build();
    expect(args).not.toContain('--ro-bind / /');
    expect(args).toContain('--ro-bind /usr /usr --symlink usr/bin /bin --ro-bind /etc /etc');
    expect(args).toContain('--ro-bind /opt/node /opt/node');
    expect(args).toContain('--ro-bind /dev/null /etc/shadow --tmpfs /etc/ssl/private');
    expect(args.indexOf('--ro-bind /etc /etc')).toBeLessThan(args.indexOf('/etc/shadow'));
  });

  it('makes the kernel settings under /proc read-only and hides kernel memory, after the fresh /proc', () => {
    const args = build();
    expect(args).toContain('--proc /proc --ro-bind /proc/sys /proc/sys --ro-bind /dev/null /proc/kcore');
  });

  it('mounts the fresh /tmp and HOME before the worktree, and the read-only .git and object stores after it', () => {
    const args = build();
    expect(args.indexOf('--tmpfs /tmp')).toBeLessThan(args.indexOf('--bind /tmp/w /tmp/w'));
    expect(args.indexOf('--tmpfs /home/agent')).toBeLessThan(args.indexOf('--bind /tmp/w /tmp/w'));
    expect(args.indexOf('--bind /tmp/w /tmp/w')).toBeLessThan(
      args.indexOf('--ro-bind /tmp/w/.git /tmp/w/.git'),
    );
    expect(args).toContain('--ro-bind /tmp/hub.git/objects /tmp/hub.git/objects');
    expect(args).toContain('--chdir /tmp/w/src --clearenv --setenv PATH /usr/bin -- /bin/bash -c make');
  });

  it('leaves .git writable when it is not protected', () => {
    expect(build({ protectGitDirectory: false })).not.toContain('--ro-bind /tmp/w/.git');
  });

  it('cuts the network unless it is full, and hides /run sockets either way', () => {
    expect(build()).toContain('--unshare-net');
    expect(build({ network: 'allow-list' })).toContain('--unshare-net');
    expect(build({ network: 'full' })).not.toContain('--unshare-net');
    expect(build({ network: 'full' })).toContain('--tmpfs /run');
    expect(build({ network: 'full' })).toContain('--ro-bind /run/systemd/resolve/stub-resolv.conf');
    expect(build()).not.toContain('stub-resolv.conf');
  });

  it('mounts the proxy socket and its bridge at fixed places', () => {
    const args = build({
      network: 'allow-list',
      proxy: { socketPath: '/tmp/n/proxy.sock', bridgePath: '/cadre/proxy-bridge.mjs' },
    });
    expect(args).toContain(`--bind /tmp/n/proxy.sock ${insideProxyPaths.socket}`);
    expect(args).toContain(`--ro-bind /cadre/proxy-bridge.mjs ${insideProxyPaths.bridge}`);
  });

  it('adds the extra mounts after the worktree', () => {
    const args = build({ extraReadOnlyPaths: ['/srv/cache'], extraWritablePaths: ['/var/cache/x'] });
    expect(args).toContain('--ro-bind /srv/cache /srv/cache --bind /var/cache/x /var/cache/x');
  });
});
