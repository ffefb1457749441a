import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProbeTarget } from './probe-definition.ts';

/** What of the host a probe could have changed, taken before and after it runs. */
export interface HostSnapshot {
  /** Every path under the suite's directory (the current worktree aside, its `.git` included) → what it holds. */
  tree: Map<string, string>;
  /** System files an attack writes to when it gets out. */
  systemFiles: Map<string, string>;
  /** Entries named with the run's marker in the host's shared directories. */
  markedEntries: string[];
  /** Global kernel settings, read from the host's /proc/sys. */
  sysctls: Map<string, string>;
  connections: { loopback: number; abstractSocket: number };
}

/** One way the host differs after a probe. */
export type HostChange =
  | { type: 'path-appeared'; path: string }
  | { type: 'path-changed'; path: string }
  | { type: 'path-removed'; path: string }
  | { type: 'sysctl-changed'; name: string; before: string; after: string }
  | { type: 'connection-reached'; listener: string; count: number };

const systemFiles = ['/etc/passwd', '/etc/hosts', '/etc/hostname'];
const sharedDirectories = [
  tmpdir(),
  '/tmp',
  '/var/tmp',
  '/dev/shm',
  '/run',
  '/etc',
  '/usr',
  '/usr/bin',
  '/usr/local/bin',
  '/root',
  '/home',
];
// A probe flips core_uses_pid: harmless if it lands, and it shows that core_pattern (a program the
// kernel runs as root on every crash) could be set the same way.
const watchedSysctls = ['kernel/core_uses_pid', 'kernel/core_pattern', 'kernel/hostname'];

/** Records the host's state for one probe run. */
export async function takeHostSnapshot(target: ProbeTarget): Promise<HostSnapshot> {
  const tree = new Map<string, string>();
  await describeTree(target.host.base, target.worktree, tree);
  await describeTree(path.join(target.worktree, '.git'), null, tree);
  const systemFileStates = new Map<string, string>();
  for (const file of systemFiles) systemFileStates.set(file, await describeFile(file));
  const markedEntries: string[] = [];
  for (const directory of new Set(sharedDirectories)) {
    const names = await readdir(directory).catch(() => [] as string[]);
    for (const name of names)
      if (name.includes(target.marker)) markedEntries.push(path.join(directory, name));
  }
  const sysctls = new Map<string, string>();
  for (const name of watchedSysctls) sysctls.set(name, await readSysctl(name));
  const { host } = target;
  return {
    tree,
    systemFiles: systemFileStates,
    markedEntries,
    sysctls,
    connections: {
      loopback: host.loopbackCanary.connections(),
      abstractSocket: host.abstractCanary.connections(),
    },
  };
}

/** What changed between two snapshots of the same run. */
export function compareHostSnapshots(before: HostSnapshot, after: HostSnapshot): HostChange[] {
  const changes: HostChange[] = [];
  for (const [map, afterMap] of [
    [before.tree, after.tree],
    [before.systemFiles, after.systemFiles],
  ] as const) {
    for (const [entry, state] of afterMap) {
      const previous = map.get(entry);
      if (previous === undefined) changes.push({ type: 'path-appeared', path: entry });
      else if (previous !== state) changes.push({ type: 'path-changed', path: entry });
    }
    for (const entry of map.keys())
      if (!afterMap.has(entry)) changes.push({ type: 'path-removed', path: entry });
  }
  for (const entry of after.markedEntries)
    if (!before.markedEntries.includes(entry)) changes.push({ type: 'path-appeared', path: entry });
  for (const [name, value] of after.sysctls) {
    const previous = before.sysctls.get(name) ?? '';
    if (previous !== value) changes.push({ type: 'sysctl-changed', name, before: previous, after: value });
  }
  const loopback = after.connections.loopback - before.connections.loopback;
  if (loopback > 0)
    changes.push({ type: 'connection-reached', listener: 'loopback TCP canary', count: loopback });
  const abstract = after.connections.abstractSocket - before.connections.abstractSocket;
  if (abstract > 0)
    changes.push({ type: 'connection-reached', listener: 'abstract socket canary', count: abstract });
  return changes;
}

/** Puts back kernel settings a probe changed, so an escape does not outlive the test that found it. */
export async function restoreSysctls(changes: readonly HostChange[]): Promise<void> {
  for (const change of changes) {
    if (change.type !== 'sysctl-changed') continue;
    await writeFile(`/proc/sys/${change.name}`, `${change.before}\n`).catch(() => {});
  }
}

async function describeTree(root: string, skip: string | null, into: Map<string, string>): Promise<void> {
  if (root === skip) return;
  into.set(root, await describeFile(root));
  const status = await lstat(root).catch(() => null);
  if (!status?.isDirectory()) return;
  for (const name of await readdir(root).catch(() => [] as string[]))
    await describeTree(path.join(root, name), skip, into);
}

/** A short description that changes whenever the entry's kind, target or content does. */
async function describeFile(file: string): Promise<string> {
  const status = await lstat(file).catch(() => null);
  if (status === null) return 'missing';
  if (status.isSymbolicLink()) return `link:${await readlink(file)}`;
  if (status.isDirectory()) return 'directory';
  const content = await readFile(file).catch(() => null);
  if (content === null) return `unreadable:${status.size}`;
  return `file:${createHash('sha256').update(content).digest('hex')}`;
}

async function readSysctl(name: string): Promise<string> {
  return (await readFile(`/proc/sys/${name}`, 'utf8').catch(() => '')).trim();
}
