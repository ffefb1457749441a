import type { GitDirectories } from './git-directories.ts';
import type { HostLayout } from './host-layout.ts';
import type { SandboxNetwork } from './sandbox-config.ts';

/** HOME inside the sandbox: an empty private directory, gone when the command ends. */
export const sandboxHome = '/home/agent';
/** Where the allow-list proxy's socket and its bridge program appear inside the sandbox. */
export const insideProxyPaths = { socket: '/run/cadre/proxy.sock', bridge: '/run/cadre/proxy-bridge.mjs' };

/** What the bubblewrap command line is built from. */
export interface BubblewrapArgumentsOptions {
  layout: HostLayout;
  /** Real (symlink-free) path of the worktree, mounted read-write at the same place. */
  worktreeRoot: string;
  /** Real path of the directory the command starts in, inside the worktree. */
  workingDirectory: string;
  git: GitDirectories;
  protectGitDirectory: boolean;
  network: SandboxNetwork['type'];
  /** Host paths of the allow-list proxy's socket and bridge program (allow-list network only). */
  proxy: { socketPath: string; bridgePath: string } | null;
  extraReadOnlyPaths: readonly string[];
  extraWritablePaths: readonly string[];
  environment: Record<string, string>;
  /** The program and its arguments to run inside the sandbox. */
  command: readonly string[];
}

/**
 * Builds bwrap's arguments. The sandbox's root is an empty tmpfs, and only what is listed appears in
 * it: system and toolchain directories read-only (less the secrets in /etc), fresh /tmp, /run and
 * HOME, the worktree read-write, and what git needs read-only. Mount order matters: later mounts
 * cover earlier ones, so the tmpfs mounts come before the worktree (which often lives under /tmp)
 * and the read-only .git comes after it.
 */
export function bubblewrapArguments(options: BubblewrapArgumentsOptions): string[] {
  const args = [...namespaceArguments(options.network), ...systemArguments(options)];
  args.push('--bind', options.worktreeRoot, options.worktreeRoot);
  for (const borrowed of options.git.borrowed) args.push('--ro-bind', borrowed, borrowed);
  if (options.protectGitDirectory && options.git.ownDirectory)
    args.push('--ro-bind', options.git.ownDirectory, options.git.ownDirectory);
  for (const extra of options.extraReadOnlyPaths) args.push('--ro-bind', extra, extra);
  for (const extra of options.extraWritablePaths) args.push('--bind', extra, extra);
  if (options.proxy) {
    args.push('--bind', options.proxy.socketPath, insideProxyPaths.socket);
    args.push('--ro-bind', options.proxy.bridgePath, insideProxyPaths.bridge);
  }
  args.push('--chdir', options.workingDirectory, '--clearenv');
  for (const [name, value] of Object.entries(options.environment)) args.push('--setenv', name, value);
  args.push('--', ...options.command);
  return args;
}

/** The arguments of the start-up probe: the same namespaces and system mounts, running `true`. */
export function probeArguments(layout: HostLayout): string[] {
  const view = { layout, network: 'none' as const };
  return [...namespaceArguments('none'), ...systemArguments(view), '--chdir', '/', '--', 'true'];
}

function namespaceArguments(network: SandboxNetwork['type']): string[] {
  return [
    '--die-with-parent',
    '--new-session',
    // A user namespace lets bwrap work unprivileged and, with --cap-drop ALL, keeps a root caller's
    // capabilities (which bwrap otherwise retains) from remounting anything read-write.
    '--unshare-user',
    '--disable-userns',
    '--cap-drop',
    'ALL',
    // A pid namespace hides cadre's processes (and their /proc/<pid>/environ) and kills every process
    // the command left behind when it ends.
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(network === 'full' ? [] : ['--unshare-net']),
  ];
}

function systemArguments(options: Pick<BubblewrapArgumentsOptions, 'layout' | 'network'>): string[] {
  const { layout } = options;
  const args: string[] = [];
  for (const entry of layout.systemEntries) {
    if (entry.type === 'symlink') args.push('--symlink', entry.target, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  for (const directory of layout.toolchainDirectories) args.push('--ro-bind', directory, directory);
  for (const file of layout.hiddenFiles) args.push('--ro-bind', '/dev/null', file);
  for (const directory of layout.hiddenDirectories) args.push('--tmpfs', directory);
  args.push('--dev', '/dev', '--proc', '/proc');
  for (const entry of layout.procReadOnly) args.push('--ro-bind', entry, entry);
  for (const entry of layout.procHidden) args.push('--ro-bind', '/dev/null', entry);
  // Unix sockets under /run (docker, dbus, databases) would accept connections even read-only.
  args.push('--tmpfs', '/tmp', '--tmpfs', '/var/tmp', '--tmpfs', '/run', '--tmpfs', sandboxHome);
  if (options.network === 'full' && layout.resolverFile)
    args.push('--ro-bind', layout.resolverFile, layout.resolverFile);
  return args;
}
