import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CgroupSupport } from './cgroup-support.ts';
import type { SandboxLimits } from './sandbox-config.ts';

/** Which cgroup limit a command ran into. */
export type CgroupLimitHit = { type: 'memory' } | { type: 'processes' };

/** The cgroups of one command: the files its first process writes its pid to, and what it hit. */
export interface CommandCgroup {
  /** `cgroup.procs` files; the command's first process joins them before it runs anything else. */
  processFiles: string[];
  /** Limits the command ran into, read after it ended. */
  limitsHit(): Promise<CgroupLimitHit[]>;
  /** Kills whatever is still in the cgroups and removes them. */
  remove(): Promise<void>;
}

/** Makes the cgroups for one command and writes its limits; null when the machine has none to make. */
export async function createCommandCgroup(
  support: CgroupSupport,
  limits: SandboxLimits,
): Promise<CommandCgroup | null> {
  const name = `cadre-${process.pid}-${randomBytes(4).toString('hex')}`;
  switch (support.type) {
    case 'none':
      return null;
    case 'v1': {
      const pids = support.pidsParent ? path.join(support.pidsParent, name) : null;
      const memory = support.memoryParent ? path.join(support.memoryParent, name) : null;
      const made: string[] = [];
      try {
        if (pids) {
          await mkdir(pids);
          made.push(pids);
          await writeFile(path.join(pids, 'pids.max'), String(limits.maxProcesses));
        }
        if (memory) {
          await mkdir(memory);
          made.push(memory);
          await writeFile(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
          // Without this a hog pages out to swap instead of meeting the limit (absent when swap accounting is off).
          await writeFile(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)).catch(
            () => {},
          );
        }
      } catch (error) {
        await removeAll(made);
        throw error;
      }
      return {
        processFiles: made.map((directory) => path.join(directory, 'cgroup.procs')),
        async limitsHit() {
          const hits: CgroupLimitHit[] = [];
          // failcnt stays 0 on some kernels while the OOM killer acts; oom_control counts the kills
          const memoryHit =
            memory !== null &&
            ((await counter(path.join(memory, 'memory.failcnt'))) > 0 ||
              (await eventCount(path.join(memory, 'memory.oom_control'), 'oom_kill')) > 0);
          if (memoryHit) hits.push({ type: 'memory' });
          if (pids && (await eventCount(path.join(pids, 'pids.events'), 'max')) > 0)
            hits.push({ type: 'processes' });
          return hits;
        },
        remove: () => removeAll(made),
      };
    }
    case 'v2': {
      const directory = path.join(support.parent, name);
      await mkdir(directory);
      try {
        await writeFile(path.join(directory, 'pids.max'), String(limits.maxProcesses));
        await writeFile(path.join(directory, 'memory.max'), String(limits.memoryBytes));
        await writeFile(path.join(directory, 'memory.swap.max'), '0').catch(() => {});
      } catch (error) {
        await removeAll([directory]);
        throw error;
      }
      return {
        processFiles: [path.join(directory, 'cgroup.procs')],
        async limitsHit() {
          const hits: CgroupLimitHit[] = [];
          if ((await eventCount(path.join(directory, 'memory.events'), 'max')) > 0)
            hits.push({ type: 'memory' });
          if ((await eventCount(path.join(directory, 'pids.events'), 'max')) > 0)
            hits.push({ type: 'processes' });
          return hits;
        },
        remove: () => removeAll([directory]),
      };
    }
    default:
      return assertNever(support);
  }
}

async function counter(file: string): Promise<number> {
  try {
    return Number.parseInt(await readFile(file, 'utf8'), 10) || 0;
  } catch {
    return 0;
  }
}

async function eventCount(file: string, key: string): Promise<number> {
  try {
    const line = (await readFile(file, 'utf8')).split('\n').find((entry) => entry.startsWith(`${key} `));
    return line ? Number.parseInt(line.slice(key.length + 1), 10) || 0 : 0;
  } catch {
    return 0;
  }
}

// The pid namespace normally leaves the cgroups empty when the command ends; anything still there
// (a process that was joining as the command was killed) is killed before the directory goes.
async function removeAll(directories: readonly string[]): Promise<void> {
  for (const directory of directories) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      await killMembers(path.join(directory, 'cgroup.procs'));
      try {
        await rmdir(directory);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}

async function killMembers(processFile: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(processFile, 'utf8');
  } catch {
    return;
  }
  for (const pid of text.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled cgroup support ${JSON.stringify(value)}`);
}
