import { z } from 'zod';
import type { CgroupSupport } from './cgroup-support.ts';
import { SandboxNetwork } from './sandbox-config.ts';

/** How one kind of limit is enforced on this machine, or why it is not. */
export const LimitEnforcement = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cgroup-v1') }),
  z.object({ type: z.literal('cgroup-v2') }),
  z.object({ type: z.literal('rlimit') }),
  z.object({ type: z.literal('not-enforced'), reason: z.string() }),
]);
/** How one kind of limit is enforced on this machine, or why it is not. */
export type LimitEnforcement = z.infer<typeof LimitEnforcement>;

/** Which of a command's limits hold on this machine (wall time and output always do). */
export const LimitsEnforcement = z.object({
  processes: LimitEnforcement,
  memory: LimitEnforcement,
  cpuTime: LimitEnforcement,
  fileSize: LimitEnforcement,
});
/** Which of a command's limits hold on this machine. */
export type LimitsEnforcement = z.infer<typeof LimitsEnforcement>;

/** What the sandbox will do with commands of one config, as reported at start and in a run's events. */
export const SandboxStatus = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('sandboxed'),
    bubblewrapPath: z.string(),
    network: SandboxNetwork,
    limits: LimitsEnforcement,
  }),
  z.object({ type: z.literal('unsandboxed'), reason: z.string(), network: SandboxNetwork }),
  z.object({ type: z.literal('refused'), reason: z.string() }),
]);
/** What the sandbox will do with commands of one config. */
export type SandboxStatus = z.infer<typeof SandboxStatus>;

/** The `sandbox.status` event: how one process of a run (on one machine) isolates agents' commands. */
export const SandboxStatusEvent = z.object({ host: z.string(), pid: z.int(), status: SandboxStatus });
/** The `sandbox.status` event's payload. */
export type SandboxStatusEvent = z.infer<typeof SandboxStatusEvent>;

/** The event type a process records its sandbox status under. */
export const sandboxStatusEventType = 'sandbox.status';

/** Which limits the machine's cgroups and prlimit let the sandbox enforce. */
export function describeLimits(host: {
  cgroups: CgroupSupport;
  prlimitPath: string | null;
}): LimitsEnforcement {
  const rlimit: LimitEnforcement = host.prlimitPath
    ? { type: 'rlimit' }
    : { type: 'not-enforced', reason: 'prlimit (util-linux) is not installed' };
  const { cgroups } = host;
  const cgroup = (present: boolean): LimitEnforcement => {
    switch (cgroups.type) {
      case 'v1':
        return present ? { type: 'cgroup-v1' } : { type: 'not-enforced', reason: 'no writable v1 hierarchy' };
      case 'v2':
        return { type: 'cgroup-v2' };
      case 'none':
        return { type: 'not-enforced', reason: cgroups.reason };
      default:
        return assertNever(cgroups);
    }
  };
  return {
    processes: cgroup(cgroups.type === 'v1' && cgroups.pidsParent !== null),
    memory: cgroup(cgroups.type === 'v1' && cgroups.memoryParent !== null),
    cpuTime: rlimit,
    fileSize: rlimit,
  };
}

/** One line for people: what isolates agents' commands, and loudly what does not. */
export function formatSandboxStatus(status: SandboxStatus): string {
  switch (status.type) {
    case 'sandboxed': {
      const weak = Object.entries(status.limits)
        .filter(([, enforcement]) => enforcement.type === 'not-enforced')
        .map(([name]) => name);
      const network =
        status.network.type === 'allow-list'
          ? `allow-list (${status.network.hosts.join(', ')})`
          : status.network.type;
      const limits = weak.length === 0 ? 'all limits enforced' : `NOT enforced: ${weak.join(', ')}`;
      return `sandbox: bubblewrap, network ${network}, ${limits}`;
    }
    case 'unsandboxed':
      return `sandbox: NONE — agents' commands run with no isolation (${status.reason}; tools.shell.allowUnsandboxed is on)`;
    case 'refused':
      return `sandbox: unavailable — ${status.reason}`;
    default:
      return assertNever(status);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled sandbox status ${JSON.stringify(value)}`);
}
