import { realpath } from 'node:fs/promises';
import { bubblewrapArguments, probeArguments } from './bubblewrap-arguments.ts';
import { type CgroupSupport, detectCgroupSupport } from './cgroup-support.ts';
import { type CgroupLimitHit, createCommandCgroup } from './command-cgroup.ts';
import { commandEnvironment } from './command-environment.ts';
import { type BubblewrapStatus, detectBubblewrap } from './detect-bubblewrap.ts';
import { findGitDirectories } from './git-directories.ts';
import { type HostLayout, readHostLayout } from './host-layout.ts';
import { findExecutable, limitWrapper } from './limit-wrapper.ts';
import type { NetworkDecision } from './network/index.ts';
import { type ProcessResult, runProcessTree } from './run-process-tree.ts';
import { networkOf, type SandboxConfig } from './sandbox-config.ts';
import { describeLimits, type SandboxStatus } from './sandbox-status.ts';
import { startCommandNetwork } from './start-command-network.ts';

/** One command to run on an agent's worktree. */
export interface SandboxRequest {
  /** A shell command line (`<shellPath> -c <command>`). */
  command: string;
  /** Real path of the worktree: the one directory the command may write (besides its own /tmp and HOME). */
  worktreeRoot: string;
  /** Real path inside the worktree to start in. */
  workingDirectory: string;
  timeoutMilliseconds: number;
  config: SandboxConfig;
  /** Variables for this command only, on top of the config's (an engine's own API key). */
  environment?: Record<string, string>;
  signal: AbortSignal;
  /** Receives the command's stdout as it comes (the result still holds the capped, merged output). */
  onStdout?: (chunk: Buffer) => void;
}

/** How the sandbox handled a command. */
export type SandboxRun =
  | {
      type: 'ran';
      sandboxed: boolean;
      result: ProcessResult;
      /** Cgroup limits the command ran into. */
      limitsHit: CgroupLimitHit[];
      /** What the allow-list proxy let through or refused (empty for other network modes). */
      network: NetworkDecision[];
    }
  | { type: 'refused'; reason: string };

/** Runs commands that agents could have written: in bubblewrap, with limits, seeing only what they need. */
export interface Sandbox {
  run(request: SandboxRequest): Promise<SandboxRun>;
  /** Whether commands with this config would run sandboxed, unsandboxed or not at all, and which limits hold. */
  status(config: SandboxConfig, signal: AbortSignal): Promise<SandboxStatus>;
}

interface HostFacts {
  layout: HostLayout;
  cgroups: CgroupSupport;
  prlimitPath: string | null;
}

/**
 * Creates a sandbox. What it learns about the machine (the host layout, cgroups, prlimit, whether
 * bubblewrap works) is probed once and kept for the sandbox's lifetime.
 */
export function createSandbox(): Sandbox {
  let facts: Promise<HostFacts> | undefined;
  const probes = new Map<string, Promise<BubblewrapStatus>>();

  const hostFacts = () => {
    facts ??= (async () => {
      const [layout, cgroups, prlimitPath] = await Promise.all([
        readHostLayout(),
        detectCgroupSupport(),
        findExecutable('prlimit'),
      ]);
      return { layout, cgroups, prlimitPath };
    })();
    return facts;
  };

  const bubblewrap = async (config: SandboxConfig, signal: AbortSignal): Promise<BubblewrapStatus> => {
    const key = config.bubblewrapPath;
    let probe = probes.get(key);
    if (!probe) {
      const { layout } = await hostFacts();
      probe = detectBubblewrap(key, probeArguments(layout), signal);
      // A probe cut short by an abort says nothing about bubblewrap; let the next command ask again.
      probe.then(() => signal.aborted && probes.delete(key));
      probes.set(key, probe);
    }
    return probe;
  };

  return {
    async status(config, signal) {
      const [host, found] = await Promise.all([hostFacts(), bubblewrap(config, signal)]);
      const network = networkOf(config);
      if (found.type === 'available')
        return { type: 'sandboxed', bubblewrapPath: found.path, network, limits: describeLimits(host) };
      const reason = unavailableReason(found);
      return config.allowUnsandboxed ? { type: 'unsandboxed', reason, network } : { type: 'refused', reason };
    },

    async run(request) {
      const host = await hostFacts();
      const found = await bubblewrap(request.config, request.signal);
      if (found.type !== 'available') {
        if (!request.config.allowUnsandboxed) return { type: 'refused', reason: refusal(found) };
        return runUnsandboxed(request);
      }
      return runSandboxed(request, host, found.path);
    },
  };
}

async function runSandboxed(
  request: SandboxRequest,
  host: HostFacts,
  bubblewrapPath: string,
): Promise<SandboxRun> {
  const { config } = request;
  const network = networkOf(config);
  const git = await findGitDirectories(request.worktreeRoot);
  const cgroup = await createCommandCgroup(host.cgroups, config.limits);
  const commandNetwork = await startCommandNetwork(network, request.signal);
  try {
    const shell = [config.shellPath, '-c', request.command];
    const environment = {
      ...commandEnvironment({ config, layout: host.layout, sandboxed: true }),
      ...commandNetwork.environment,
      ...request.environment,
    };
    const args = bubblewrapArguments({
      layout: host.layout,
      worktreeRoot: request.worktreeRoot,
      workingDirectory: request.workingDirectory,
      git,
      protectGitDirectory: config.protectGitDirectory,
      network: network.type,
      proxy: commandNetwork.proxy,
      extraReadOnlyPaths: config.extraReadOnlyPaths,
      extraWritablePaths: config.extraWritablePaths,
      environment,
      command: commandNetwork.wrap(shell, await realpath(process.execPath)),
    });
    const wrapped = limitWrapper({
      processFiles: cgroup?.processFiles ?? [],
      prlimitPath: host.prlimitPath,
      limits: config.limits,
      command: [bubblewrapPath, ...args],
    });
    const result = await runProcessTree({
      file: wrapped[0]!,
      args: wrapped.slice(1),
      cwd: request.workingDirectory,
      // bwrap clears this and sets the command's own environment (--clearenv, --setenv).
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMilliseconds: request.timeoutMilliseconds,
      outputCapBytes: config.outputCapBytes,
      signal: request.signal,
      ...(request.onStdout ? { onStdout: request.onStdout } : {}),
    });
    const limitsHit = (await cgroup?.limitsHit()) ?? [];
    return { type: 'ran', sandboxed: true, result, limitsHit, network: commandNetwork.decisions() };
  } finally {
    await commandNetwork.close();
    await cgroup?.remove();
  }
}

async function runUnsandboxed(request: SandboxRequest): Promise<SandboxRun> {
  const environment = {
    ...commandEnvironment({ config: request.config, layout: null, sandboxed: false }),
    ...request.environment,
  };
  const result = await runProcessTree({
    file: request.config.shellPath,
    args: ['-c', request.command],
    cwd: request.workingDirectory,
    env: environment,
    timeoutMilliseconds: request.timeoutMilliseconds,
    outputCapBytes: request.config.outputCapBytes,
    signal: request.signal,
    ...(request.onStdout ? { onStdout: request.onStdout } : {}),
  });
  return { type: 'ran', sandboxed: false, result, limitsHit: [], network: [] };
}

function unavailableReason(status: Exclude<BubblewrapStatus, { type: 'available' }>): string {
  return status.type === 'missing'
    ? `bubblewrap (${status.path}) is not installed`
    : `bubblewrap (${status.path}) does not work here: ${status.reason}`;
}

/** The one message every refused command gets: why, and the switch that allows running unsandboxed. */
function refusal(status: Exclude<BubblewrapStatus, { type: 'available' }>): string {
  return (
    `Commands are disabled: ${unavailableReason(status)}, and the configuration does not allow unsandboxed ` +
    'commands (tools.shell.allowUnsandboxed). Install bubblewrap (apt-get install bubblewrap) or set ' +
    "tools.shell.allowUnsandboxed to true to run agents' commands with no isolation at all."
  );
}
