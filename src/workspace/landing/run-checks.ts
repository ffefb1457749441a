import { realpath } from 'node:fs/promises';
import { type Sandbox, type SandboxConfig, sandboxNotes } from '../../sandbox/index.ts';
import type { ChecksSettings } from '../workspace-config.ts';

/**
 * A project's checks and the sandbox they run in. The checks run test files and package scripts
 * that agents wrote, so they get the same sandbox as an agent's own shell.
 */
export interface ChecksConfig {
  /** A shell command line, such as `npm test`. */
  command: string;
  timeoutMs: number;
  sandbox: Sandbox;
  /** The shell's sandbox settings, with the checks' own network when configured. */
  sandboxConfig: SandboxConfig;
  /**
   * Readies the worktree again before the checks when its lock files changed (a rebase brought
   * another change's dependencies); returns lines for the output. Absent without `workspace.setup`.
   */
  prepare?: (worktreePath: string, signal: AbortSignal) => Promise<string[]>;
}

/** The checks of a config, bound to the sandbox and the shell's sandbox settings they run with. */
export function createChecksConfig(
  settings: ChecksSettings,
  shell: SandboxConfig,
  sandbox: Sandbox,
  prepare?: ChecksConfig['prepare'],
): ChecksConfig {
  const sandboxConfig = settings.network ? { ...shell, network: settings.network } : shell;
  return {
    command: settings.command,
    timeoutMs: settings.timeoutMs,
    sandbox,
    sandboxConfig,
    ...(prepare ? { prepare } : {}),
  };
}

/** What running the checks did. */
export type ChecksResult =
  | { type: 'passed'; durationMs: number }
  | { type: 'failed'; exitCode: number | null; signal: string | null; output: string; durationMs: number }
  | { type: 'timed-out'; output: string; durationMs: number };

// The end of a failing build log is where the error is; the sandbox keeps head and tail.
const outputCapBytes = 40_000;

/** Runs the checks in the sandbox over a worktree; an abort rejects with the signal's reason. */
export async function runChecks(
  config: ChecksConfig,
  worktreeRoot: string,
  signal: AbortSignal,
): Promise<ChecksResult> {
  signal.throwIfAborted();
  const started = performance.now();
  const root = await realpath(worktreeRoot);
  const prepared = (await config.prepare?.(worktreeRoot, signal)) ?? [];
  const sandboxConfig = {
    ...config.sandboxConfig,
    outputCapBytes: Math.min(config.sandboxConfig.outputCapBytes, outputCapBytes),
  };
  const run = await config.sandbox.run({
    command: config.command,
    worktreeRoot: root,
    workingDirectory: root,
    timeoutMilliseconds: config.timeoutMs,
    config: sandboxConfig,
    signal,
  });
  const durationMs = Math.round(performance.now() - started);
  if (run.type === 'refused')
    return { type: 'failed', exitCode: null, signal: null, output: run.reason, durationMs };
  const notes = [...prepared, ...sandboxNotes(run, sandboxConfig)];
  const output = [run.result.output, ...notes].join(notes.length > 0 ? '\n' : '');
  const { end } = run.result;
  switch (end.type) {
    case 'exited':
      return end.exitCode === 0
        ? { type: 'passed', durationMs }
        : { type: 'failed', exitCode: end.exitCode, signal: null, output, durationMs };
    case 'signaled':
      return { type: 'failed', exitCode: null, signal: end.signal, output, durationMs };
    case 'timed-out':
      return { type: 'timed-out', output, durationMs };
    case 'aborted':
      throw signal.reason;
    case 'spawn-failed':
      return { type: 'failed', exitCode: null, signal: null, output: end.message, durationMs };
    default:
      return assertNever(end);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled process end ${JSON.stringify(value)}`);
}
