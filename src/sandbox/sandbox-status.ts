import type { LimitEnforcement, LimitsEnforcement, SandboxStatus } from '../protocol/index.ts';
import type { CgroupSupport } from './cgroup-support.ts';

// the status is part of a run's log (`sandbox.status`), so its schemas live in the event catalog
export {
  LimitEnforcement,
  LimitsEnforcement,
  SandboxStatus,
  SandboxStatusEvent,
  sandboxStatusEventType,
} from '../protocol/index.ts';

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
