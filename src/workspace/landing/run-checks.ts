import { spawn } from 'node:child_process';

/** A project's checks, run in the worktree on the rebased change before it is pushed. */
export interface ChecksConfig {
  /** A `bash -c` command line, such as `npm test`. */
  command: string;
  timeoutMs: number;
  /** Extra environment; the command gets PATH, HOME and LANG besides. */
  environment?: Record<string, string>;
}

/** What running the checks did. */
export type ChecksResult =
  | { type: 'passed'; durationMs: number }
  | { type: 'failed'; exitCode: number | null; signal: string | null; output: string; durationMs: number }
  | { type: 'timed-out'; output: string; durationMs: number };

const outputTailCharacters = 20_000;

/**
 * Runs the checks command in its own process group so that a timeout or an abort kills everything
 * it started. Not sandboxed: checks are the project's own configured command, not agent input.
 */
export function runChecks(config: ChecksConfig, cwd: string, signal: AbortSignal): Promise<ChecksResult> {
  signal.throwIfAborted();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', config.command], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        LANG: process.env.LANG ?? 'C.UTF-8',
        ...config.environment,
      },
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-outputTailCharacters);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, config.timeoutMs);
    signal.addEventListener('abort', killGroup, { once: true });
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', killGroup);
      const durationMs = Math.round(performance.now() - started);
      if (signal.aborted) reject(signal.reason);
      else if (timedOut) resolve({ type: 'timed-out', output, durationMs });
      else if (exitCode === 0) resolve({ type: 'passed', durationMs });
      else resolve({ type: 'failed', exitCode, signal: exitSignal, output, durationMs });
    });
  });
}
