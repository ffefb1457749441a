import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where per-command cgroups can be made on this machine, if anywhere. */
export type CgroupSupport =
  | { type: 'v1'; pidsParent: string | null; memoryParent: string | null }
  | { type: 'v2'; parent: string }
  | { type: 'none'; reason: string };

interface MountedHierarchy {
  mountPoint: string;
  fileSystem: 'cgroup' | 'cgroup2';
  options: string[];
}

/**
 * Finds cgroup directories this process may create children in: the v1 `pids` and `memory`
 * hierarchies (under this process's own cgroup, so limits above still apply), or a v2 cgroup whose
 * subtree can have the pids and memory controllers. Each is proven by making and removing a child.
 */
export async function detectCgroupSupport(): Promise<CgroupSupport> {
  let ownCgroups: string;
  let mounts: string;
  try {
    [ownCgroups, mounts] = await Promise.all([
      readFile('/proc/self/cgroup', 'utf8'),
      readFile('/proc/self/mounts', 'utf8'),
    ]);
  } catch (error) {
    return { type: 'none', reason: `cannot read /proc: ${(error as Error).message}` };
  }
  const hierarchies = parseMounts(mounts);
  const membership = parseMembership(ownCgroups);
  const v1Parent = async (controller: string) => {
    const hierarchy = hierarchies.find((h) => h.fileSystem === 'cgroup' && h.options.includes(controller));
    const own = membership.get(controller);
    if (!hierarchy || own === undefined) return null;
    const parent = path.join(hierarchy.mountPoint, own);
    return (await canMakeChild(parent)) ? parent : null;
  };
  const [pidsParent, memoryParent] = await Promise.all([v1Parent('pids'), v1Parent('memory')]);
  if (pidsParent || memoryParent) return { type: 'v1', pidsParent, memoryParent };
  const unified = hierarchies.find((h) => h.fileSystem === 'cgroup2');
  const own = membership.get('');
  if (unified && own !== undefined) {
    const parent = path.join(unified.mountPoint, own);
    if (await enablesControllers(parent)) return { type: 'v2', parent };
  }
  return {
    type: 'none',
    reason: 'no cgroup hierarchy with pids or memory controllers that this process may create cgroups in',
  };
}

function parseMounts(text: string): MountedHierarchy[] {
  const found: MountedHierarchy[] = [];
  for (const line of text.split('\n')) {
    const [, mountPoint, fileSystem, options] = line.split(' ');
    if (mountPoint && (fileSystem === 'cgroup' || fileSystem === 'cgroup2'))
      found.push({ mountPoint, fileSystem, options: (options ?? '').split(',') });
  }
  return found;
}

/** Controller name → this process's path in its hierarchy ('' is the v2 unified hierarchy). */
function parseMembership(text: string): Map<string, string> {
  const membership = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, controllers = '', cgroupPath = '/'] = match;
    if (controllers === '') membership.set('', cgroupPath);
    for (const controller of controllers.split(',')) if (controller) membership.set(controller, cgroupPath);
  }
  return membership;
}

async function canMakeChild(parent: string): Promise<boolean> {
  const probe = path.join(parent, `cadre-probe-${process.pid}-${Date.now()}`);
  try {
    await mkdir(probe);
    await rmdir(probe);
    return true;
  } catch {
    return false;
  }
}

async function enablesControllers(parent: string): Promise<boolean> {
  try {
    const available = (await readFile(path.join(parent, 'cgroup.controllers'), 'utf8')).split(/\s+/);
    if (!available.includes('pids') || !available.includes('memory')) return false;
    // Fails (EBUSY) when processes live in `parent` itself, as v2 allows no internal processes.
    await writeFile(path.join(parent, 'cgroup.subtree_control'), '+pids +memory');
    return canMakeChild(parent);
  } catch {
    return false;
  }
}
