import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ShellConfig } from '../../agent/tool-config.ts';
import { bubblewrapArguments } from './bubblewrap-arguments.ts';
import { type BubblewrapStatus, detectBubblewrap } from './detect-bubblewrap.ts';
import { type ProcessResult, runProcessTree } from './run-process-tree.ts';

/** One shell command to run. */
export interface SandboxedCommand {
  command: string;
  /** Real path of the worktree. */
  worktreeRoot: string;
  /** Real path inside the worktree to start in. */
  workingDirectory: string;
  timeoutMilliseconds: number;
  config: ShellConfig;
  signal: AbortSignal;
}

/** How the sandbox handled a command. */
export type SandboxRun =
  | { type: 'ran'; sandboxed: boolean; result: ProcessResult }
  | { type: 'refused'; reason: string };

/** Runs shell commands in bubblewrap, probing once per bubblewrap path whether it works here. */
export interface Sandbox {
  run(command: SandboxedCommand): Promise<SandboxRun>;
}

/** Creates a sandbox; the probe result is remembered for the sandbox's lifetime. */
export function createSandbox(): Sandbox {
  const probes = new Map<string, Promise<BubblewrapStatus>>();

  async function status(
    command: SandboxedCommand,
    protectedGitDirectory: string | null,
  ): Promise<BubblewrapStatus> {
    const key = command.config.bubblewrapPath;
    let probe = probes.get(key);
    if (!probe) {
      const args = bubblewrapArguments({
        worktreeRoot: command.worktreeRoot,
        workingDirectory: command.worktreeRoot,
        protectedGitDirectory,
        config: command.config,
        environment: {},
        command: ['true'],
      });
      probe = detectBubblewrap(key, args, command.signal);
      // A probe cut short by an abort says nothing about bubblewrap; let the next command ask again.
      probe.then(() => command.signal.aborted && probes.delete(key));
      probes.set(key, probe);
    }
    return probe;
  }

  return {
    async run(command) {
      const protectedGitDirectory = await gitDirectoryToProtect(command);
      const bubblewrap = await status(command, protectedGitDirectory);
      const environment = commandEnvironment(command.config, bubblewrap.type === 'available');
      const shell = [command.config.shellPath, '-c', command.command];
      const common = {
        timeoutMilliseconds: command.timeoutMilliseconds,
        outputCapBytes: command.config.outputCapBytes,
        signal: command.signal,
      };
      switch (bubblewrap.type) {
        case 'available': {
          const args = bubblewrapArguments({
            ...command,
            protectedGitDirectory,
            environment,
            command: shell,
          });
          const result = await runProcessTree({
            ...common,
            file: bubblewrap.path,
            args,
            cwd: command.workingDirectory,
            env: environment,
          });
          return { type: 'ran', sandboxed: true, result };
        }
        case 'missing':
        case 'broken': {
          if (!command.config.allowUnsandboxed) return { type: 'refused', reason: refusal(bubblewrap) };
          const result = await runProcessTree({
            ...common,
            file: command.config.shellPath,
            args: shell.slice(1),
            cwd: command.workingDirectory,
            env: environment,
          });
          return { type: 'ran', sandboxed: false, result };
        }
        default:
          return assertNever(bubblewrap);
      }
    },
  };
}

async function gitDirectoryToProtect(command: SandboxedCommand): Promise<string | null> {
  if (!command.config.protectGitDirectory) return null;
  const gitDirectory = path.join(command.worktreeRoot, '.git');
  try {
    return (await stat(gitDirectory)).isDirectory() ? gitDirectory : null;
  } catch {
    return null;
  }
}

// A minimal environment: the agent process may hold API keys, and nothing in the sandbox needs them.
function commandEnvironment(config: ShellConfig, sandboxed: boolean): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: sandboxed ? '/tmp' : (process.env.HOME ?? '/tmp'),
    TMPDIR: sandboxed ? '/tmp' : (process.env.TMPDIR ?? '/tmp'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    ...config.environment,
  };
}

function refusal(status: Exclude<BubblewrapStatus, { type: 'available' }>): string {
  const why =
    status.type === 'missing'
      ? `bubblewrap (${status.path}) is not installed`
      : `bubblewrap (${status.path}) does not work here: ${status.reason}`;
  return `The shell is disabled: ${why}, and the configuration does not allow unsandboxed commands (shell.allowUnsandboxed).`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled bubblewrap status ${JSON.stringify(value)}`);
}
