import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

/** A top-level system entry as it is on the host: a directory to mount, or a symlink to recreate. */
export type SystemEntry =
  | { type: 'directory'; path: string }
  | { type: 'symlink'; path: string; target: string };

/** What of the host the sandbox shows: system and toolchain directories, and the secrets to hide in them. */
export interface HostLayout {
  systemEntries: SystemEntry[];
  /** Toolchain installs outside the system directories (node's prefix when it is not under /usr). */
  toolchainDirectories: string[];
  /** Files under /etc covered by an empty, unreadable file. */
  hiddenFiles: string[];
  /** Directories under /etc covered by an empty tmpfs. */
  hiddenDirectories: string[];
  /** The resolver file when /etc/resolv.conf points under /run (mounted only with the full network). */
  resolverFile: string | null;
  /** Kernel settings and triggers under /proc made read-only: writing them as root would change the host. */
  procReadOnly: string[];
  /** Files under /proc covered by an empty one: kernel memory, keyrings, timers of the host. */
  procHidden: string[];
}

// /etc is needed (users, hosts, certificates, toolchain settings) but holds these few secrets.
const systemDirectories = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];
const secretFiles = [
  'shadow',
  'shadow-',
  'gshadow',
  'gshadow-',
  'sudoers',
  'security/opasswd',
  'krb5.keytab',
];
const secretDirectories = ['sudoers.d', 'ssl/private'];
// As Docker does: a root caller's writes to these reach the host kernel despite the namespaces.
const procReadOnly = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus', '/proc/fs'];
const procHidden = [
  '/proc/kcore',
  '/proc/keys',
  '/proc/timer_list',
  '/proc/sched_debug',
  '/proc/latency_stats',
];
const maxEtcEntries = 20_000;

/** Reads the host's layout once; a sandbox keeps it for its lifetime. */
export async function readHostLayout(): Promise<HostLayout> {
  const systemEntries: SystemEntry[] = [];
  for (const directory of systemDirectories) {
    const entry = await systemEntry(directory);
    if (entry) systemEntries.push(entry);
  }
  const unreadable = await ownerOnlyEntries('/etc');
  const hiddenDirectories = unique([
    ...(await existing(secretDirectories.map((name) => path.join('/etc', name)))),
    ...unreadable.directories,
  ]);
  const hiddenFiles = unique([
    ...(await existing(secretFiles.map((name) => path.join('/etc', name)))),
    ...(await sshHostKeys()),
    ...unreadable.files,
  ]).filter((file) => !isUnder(file, hiddenDirectories));
  return {
    systemEntries,
    toolchainDirectories: await toolchainDirectories(systemEntries),
    hiddenFiles,
    hiddenDirectories,
    resolverFile: await resolverFile(),
    procReadOnly: await existing(procReadOnly),
    procHidden: await existing(procHidden),
  };
}

/** Whether a path lies inside one of the directories the layout mounts. */
export function isUnder(candidate: string, directories: readonly string[]): boolean {
  return directories.some((directory) => candidate === directory || candidate.startsWith(`${directory}/`));
}

async function systemEntry(directory: string): Promise<SystemEntry | null> {
  try {
    const stats = await lstat(directory);
    if (stats.isSymbolicLink())
      return { type: 'symlink', path: directory, target: await readlink(directory) };
    return stats.isDirectory() ? { type: 'directory', path: directory } : null;
  } catch {
    return null;
  }
}

async function existing(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const candidate of paths) {
    try {
      await lstat(candidate);
      found.push(candidate);
    } catch {
      // not on this host
    }
  }
  return found;
}

/**
 * Entries of /etc that others may not read (pg_hba.conf, a CA store's password, polkit rules…):
 * secrets by the system's own account. A caller running as root could read them through the
 * read-only /etc, so they are hidden whatever their name.
 */
async function ownerOnlyEntries(root: string): Promise<{ files: string[]; directories: string[] }> {
  const files: string[] = [];
  const directories: string[] = [];
  const pending = [root];
  let seen = 0;
  while (pending.length > 0 && seen < maxEtcEntries) {
    const directory = pending.pop()!;
    let names: string[];
    try {
      names = await readdir(directory);
    } catch {
      continue;
    }
    for (const name of names) {
      seen += 1;
      const entry = path.join(directory, name);
      const stats = await lstat(entry).catch(() => null);
      if (stats === null || stats.isSymbolicLink()) continue;
      const othersMayRead = (stats.mode & 0o004) !== 0;
      if (stats.isDirectory()) {
        if (othersMayRead && (stats.mode & 0o001) !== 0) pending.push(entry);
        else directories.push(entry);
      } else if (!othersMayRead) files.push(entry);
    }
  }
  return { files, directories };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

async function sshHostKeys(): Promise<string[]> {
  try {
    const names = await readdir('/etc/ssh');
    return names.filter((name) => /^ssh_host_.*_key$/.test(name)).map((name) => path.join('/etc/ssh', name));
  } catch {
    return [];
  }
}

// Node runs cadre's own helpers inside the sandbox (and the project's tests); a node installed under
// /opt or a version manager's directory is mounted on its own, not the home directory around it.
async function toolchainDirectories(systemEntries: readonly SystemEntry[]): Promise<string[]> {
  const mounted = systemEntries.filter((entry) => entry.type === 'directory').map((entry) => entry.path);
  const node = await realpath(process.execPath);
  const prefix = path.dirname(path.dirname(node));
  return isUnder(node, mounted) || prefix === '/' ? [] : [prefix];
}

async function resolverFile(): Promise<string | null> {
  try {
    const target = await realpath('/etc/resolv.conf');
    return target.startsWith('/run/') ? target : null;
  } catch {
    return null;
  }
}
