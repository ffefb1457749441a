import { networkOf, type Sandbox, type SandboxConfig, sandboxNotes } from '../../sandbox/index.ts';
import type { SetupSettings } from './setup-settings.ts';

/** How a setup run ended: every command passed, or the first that failed and why. */
export type SetupRun =
  | { type: 'passed'; durationMs: number; output: string }
  | { type: 'failed'; durationMs: number; reason: string; output: string };

// a failing install prints its error last; the sandbox keeps head and tail of what is longer
const outputCapBytes = 40_000;
const keptOutputCharacters = 8_000;

/**
 * The sandbox settings of setup commands: the shell's, with the setup's own network and environment,
 * and the caches mounted as the setup sees them.
 */
export function setupSandboxConfig(settings: SetupSettings, shell: SandboxConfig): SandboxConfig {
  const readOnly = settings.caches.filter((cache) => cache.setup === 'read-only').map((cache) => cache.path);
  const writable = settings.caches.filter((cache) => cache.setup === 'writable').map((cache) => cache.path);
  return {
    ...shell,
    network: settings.network ?? networkOf(shell),
    environment: { ...shell.environment, ...settings.environment },
    extraReadOnlyPaths: [...shell.extraReadOnlyPaths, ...readOnly],
    extraWritablePaths: [...shell.extraWritablePaths, ...writable],
    outputCapBytes: Math.min(shell.outputCapBytes, outputCapBytes),
  };
}

/** Runs the setup commands one after another in the sandbox over `directory`, within one time budget. */
export async function runSetup(
  settings: SetupSettings,
  sandbox: Sandbox,
  config: SandboxConfig,
  directory: string,
  signal: AbortSignal,
): Promise<SetupRun> {
  const started = performance.now();
  const outputs: string[] = [];
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (reason: string): SetupRun => ({
    type: 'failed',
    durationMs: elapsed(),
    reason,
    output: tail(outputs.join('\n')),
  });
  for (const command of settings.commands) {
    const remaining = settings.timeoutMs - elapsed();
    if (remaining <= 0) return fail(`setup ran out of its ${settings.timeoutMs} ms before \`${command}\``);
    const run = await sandbox.run({
      command,
      worktreeRoot: directory,
      workingDirectory: directory,
      timeoutMilliseconds: remaining,
      config,
      signal,
    });
    signal.throwIfAborted();
    if (run.type === 'refused') return fail(`\`${command}\` was refused by the sandbox: ${run.reason}`);
    outputs.push(`$ ${command}`, run.result.output.replace(/\n$/, ''), ...sandboxNotes(run, config));
    const { end } = run.result;
    switch (end.type) {
      case 'exited':
        if (end.exitCode !== 0) return fail(`\`${command}\` exited with code ${end.exitCode}`);
        break;
      case 'signaled':
        return fail(`\`${command}\` was killed by ${end.signal}`);
      case 'timed-out':
        return fail(`\`${command}\` timed out (setup may take ${settings.timeoutMs} ms in all)`);
      case 'aborted':
        throw signal.reason;
      case 'spawn-failed':
        return fail(`\`${command}\` could not start: ${end.message}`);
      default:
        return assertNever(end);
    }
  }
  return { type: 'passed', durationMs: elapsed(), output: tail(outputs.join('\n')) };
}

function tail(text: string): string {
  return text.length <= keptOutputCharacters ? text : `…${text.slice(-keptOutputCharacters)}`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled process end ${JSON.stringify(value)}`);
}
