import { describe, expect, it } from 'vitest';
import { ShellConfig } from '../../agent/tool-config.ts';
import { bubblewrapArguments } from './bubblewrap-arguments.ts';

function build(config: Partial<ShellConfig> = {}, protectedGitDirectory: string | null = '/tmp/w/.git') {
  return bubblewrapArguments({
    worktreeRoot: '/tmp/w',
    workingDirectory: '/tmp/w/src',
    protectedGitDirectory,
    config: ShellConfig.parse(config),
    environment: { PATH: '/usr/bin' },
    command: ['/bin/bash', '-c', 'make'],
  }).join(' ');
}

describe('bubblewrapArguments', () => {
  it('mounts the fresh /tmp before the worktree, and the read-only .git after it', () => {
    const args = build();
    expect(args.indexOf('--tmpfs /tmp')).toBeLessThan(args.indexOf('--bind /tmp/w /tmp/w'));
    expect(args.indexOf('--bind /tmp/w /tmp/w')).toBeLessThan(
      args.indexOf('--ro-bind /tmp/w/.git /tmp/w/.git'),
    );
    expect(args).toContain('--chdir /tmp/w/src --clearenv --setenv PATH /usr/bin -- /bin/bash -c make');
  });

  it('cuts the network and /run sockets unless the network is allowed', () => {
    expect(build()).toContain('--unshare-net');
    expect(build()).toContain('--tmpfs /run');
    expect(build({ allowNetwork: true })).not.toContain('--unshare-net');
    expect(build({ allowNetwork: true })).not.toContain('--tmpfs /run');
  });

  it('adds extra mounts and leaves .git alone when unprotected', () => {
    const args = build({ extraReadOnlyPaths: ['/tmp/hub'], extraWritablePaths: ['/var/cache/x'] }, null);
    expect(args).toContain('--ro-bind /tmp/hub /tmp/hub --bind /var/cache/x /var/cache/x');
    expect(args).not.toContain('.git');
  });
});
