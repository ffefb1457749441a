import { z } from 'zod';
import { AllowedHost } from './network/allowed-hosts.ts';

/** What network a sandboxed command gets. */
export const SandboxNetwork = z.discriminatedUnion('type', [
  /** An empty network namespace: not even the host's loopback. */
  z.object({ type: z.literal('none') }),
  /** Only the named hosts, through a proxy cadre runs outside the sandbox; everything else is refused and logged. */
  z.object({ type: z.literal('allow-list'), hosts: z.array(AllowedHost).min(1) }),
  /** The host's network, unfiltered. */
  z.object({ type: z.literal('full') }),
]);
/** What network a sandboxed command gets. */
export type SandboxNetwork = z.infer<typeof SandboxNetwork>;

const gibibyte = 1024 ** 3;

/** Per-command resource limits; each is enforced where the machine allows (see the sandbox's status). */
export const SandboxLimits = z
  .object({
    /** Processes and threads at once (a cgroup's pids.max): what stops a fork bomb. */
    maxProcesses: z.int().min(8).max(1_000_000).default(1024),
    /** Memory of the whole command tree, /tmp and HOME included (they are in memory). */
    memoryBytes: z
      .int()
      .min(16 * 1024 ** 2)
      .default(4 * gibibyte),
    /** CPU seconds of any one process (RLIMIT_CPU). */
    cpuSeconds: z.int().min(1).default(1800),
    /** Largest file any process may write (RLIMIT_FSIZE). */
    fileSizeBytes: z.int().min(1024).default(gibibyte),
  })
  .strict();
/** Per-command resource limits. */
export type SandboxLimits = z.infer<typeof SandboxLimits>;

const absolutePath = z
  .string()
  .startsWith('/', 'must be an absolute path (starting with /)')
  .refine((value) => !value.split('/').includes('..'), 'must not contain ".."');

/**
 * The one settings type of every command that runs code an agent could have written: the shell
 * tool, the project's checks, eval graders and external agent programs.
 */
export const SandboxConfig = z
  .object({
    network: SandboxNetwork.optional(),
    /** Older spelling of `network: { "type": "full" }`; `network` wins when both are given. */
    allowNetwork: z.boolean().default(false),
    /** Run commands without any sandbox when bubblewrap is missing or broken (off: they are refused). */
    allowUnsandboxed: z.boolean().default(false),
    /** The bubblewrap executable, looked up on PATH unless absolute. */
    bubblewrapPath: z.string().min(1).default('bwrap'),
    /** Shell that runs the command (`<shell> -c <command>`). */
    shellPath: z.string().min(1).default('/bin/bash'),
    /** Bytes of command output kept in memory (head and tail); the middle is dropped and counted. */
    outputCapBytes: z.int().positive().default(200_000),
    /** Keep the worktree's `.git` directory read-only inside the sandbox and for the file tools. */
    protectGitDirectory: z.boolean().default(true),
    /** Extra host paths mounted read-only at the same place (a package cache, a toolchain outside /usr). */
    extraReadOnlyPaths: z.array(absolutePath).default([]),
    /** Extra host paths mounted read-write at the same place (a shared build cache). */
    extraWritablePaths: z.array(absolutePath.refine((value) => value !== '/', 'must not be /')).default([]),
    /** Variables added to the command's otherwise minimal environment (cadre's own environment never leaks in). */
    environment: z.record(z.string(), z.string()).default({}),
    limits: SandboxLimits.prefault({}),
  })
  .strict();
/** Settings of the command sandbox (after defaults). */
export type SandboxConfig = z.infer<typeof SandboxConfig>;
/** Settings of the command sandbox as a user writes them. */
export type SandboxConfigInput = z.input<typeof SandboxConfig>;

/** The network a config asks for, reading the older `allowNetwork` switch. */
export function networkOf(config: SandboxConfig): SandboxNetwork {
  return config.network ?? (config.allowNetwork ? { type: 'full' } : { type: 'none' });
}
