import type { ShellConfig } from '../../agent/tool-config.ts';

/** What the bubblewrap command line is built from. */
export interface BubblewrapArgumentsOptions {
  /** Real (symlink-free) path of the worktree, mounted read-write at the same place. */
  worktreeRoot: string;
  /** Real path of the directory the command starts in, inside the worktree. */
  workingDirectory: string;
  /** Present when the worktree holds a `.git` directory that must stay read-only. */
  protectedGitDirectory: string | null;
  config: ShellConfig;
  environment: Record<string, string>;
  /** The program and its arguments to run inside the sandbox. */
  command: readonly string[];
}

/**
 * Builds bwrap's arguments. Mount order matters: later mounts cover earlier ones, so the fresh /tmp
 * comes before the worktree (which often lives under /tmp) and the read-only .git comes after it.
 */
export function bubblewrapArguments(options: BubblewrapArgumentsOptions): string[] {
  const { config } = options;
  const args = [
    '--die-with-parent',
    '--new-session',
    // A user namespace lets bwrap work unprivileged and, with --cap-drop ALL, keeps a root caller's
    // capabilities (which bwrap otherwise retains) from remounting / read-write.
    '--unshare-user',
    '--disable-userns',
    '--cap-drop',
    'ALL',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(config.allowNetwork ? [] : ['--unshare-net']),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    // Unix sockets under /run (docker, dbus, databases) still accept connections on a read-only mount.
    ...(config.allowNetwork ? [] : ['--tmpfs', '/run']),
    '--bind',
    options.worktreeRoot,
    options.worktreeRoot,
  ];
  if (options.protectedGitDirectory)
    args.push('--ro-bind', options.protectedGitDirectory, options.protectedGitDirectory);
  for (const extra of config.extraReadOnlyPaths) args.push('--ro-bind', extra, extra);
  for (const extra of config.extraWritablePaths) args.push('--bind', extra, extra);
  args.push('--chdir', options.workingDirectory, '--clearenv');
  for (const [name, value] of Object.entries(options.environment)) args.push('--setenv', name, value);
  args.push('--', ...options.command);
  return args;
}
