import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Options for starting a TypeScript file in its own Node process. */
export interface SpawnTypeScriptOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Working directory of the child. */
  cwd?: string;
}

/**
 * Starts `script` (a .ts file) in a new Node process with tsx's loader, with stdin, stdout and
 * stderr as pipes. Used wherever cadre needs real separate processes: multi-process tests that
 * SIGKILL a participant, and benchmarks that measure cross-process contention.
 */
export function spawnTypeScript(
  script: string | URL,
  args: readonly string[],
  options: SpawnTypeScriptOptions = {},
): ChildProcess {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  return spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Yields the child's stdout line by line. */
export async function* readLines(child: ChildProcess): AsyncGenerator<string> {
  let buffer = '';
  if (!child.stdout) return;
  for await (const chunk of child.stdout) {
    buffer += String(chunk);
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer.length > 0) yield buffer;
}

/** Resolves with the exit code (or the signal name) once the child has exited. */
export function waitForExit(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}
