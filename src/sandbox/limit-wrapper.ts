import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxLimits } from './sandbox-config.ts';

/** What the command line that applies a command's limits is built from. */
export interface LimitWrapperOptions {
  /** `cgroup.procs` files the first process joins before anything else runs. */
  processFiles: readonly string[];
  /** prlimit(1), which sets the per-process limits (CPU time, file size), when installed. */
  prlimitPath: string | null;
  limits: SandboxLimits;
  command: readonly string[];
}

// Joining the cgroup from inside the first process, before exec, leaves no moment in which the
// command runs unlimited (joining from outside after spawn would race its first fork).
const joinScript = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** The command line that puts a command in its cgroups and under its rlimits, then runs it. */
export function limitWrapper(options: LimitWrapperOptions): string[] {
  const limited = options.prlimitPath
    ? [
        options.prlimitPath,
        `--cpu=${options.limits.cpuSeconds}`,
        `--fsize=${options.limits.fileSizeBytes}`,
        '--core=0',
        '--',
        ...options.command,
      ]
    : [...options.command];
  if (options.processFiles.length === 0) return limited;
  return ['/bin/sh', '-c', joinScript, 'cadre-sandbox', ...options.processFiles, '--', ...limited];
}

/** The first executable of that name in the usual system directories, or null. */
export async function findExecutable(name: string): Promise<string | null> {
  for (const directory of ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']) {
    const candidate = path.join(directory, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
