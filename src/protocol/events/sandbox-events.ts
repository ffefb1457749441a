import { z } from 'zod';
import { eventOf } from './define-event.ts';

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

/** What network sandboxed commands get, as a status reports it (the config checks the host names). */
export const SandboxNetworkStatus = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('allow-list'), hosts: z.array(z.string()) }),
  z.object({ type: z.literal('full') }),
]);

/** What the sandbox will do with commands of one config, as reported at start and in a run's events. */
export const SandboxStatus = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('sandboxed'),
    bubblewrapPath: z.string(),
    network: SandboxNetworkStatus,
    limits: LimitsEnforcement,
  }),
  z.object({ type: z.literal('unsandboxed'), reason: z.string(), network: SandboxNetworkStatus }),
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

/** The `sandbox.*` events. */
export const sandboxEvents = [eventOf(sandboxStatusEventType, SandboxStatusEvent)] as const;
