import { finished, startCli } from '../testing/run-cli.ts';

/** How a cadre process run under a deadline ended. */
export interface BoundedCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the deadline passed and the process was killed: a hang, not an answer. */
  timedOut: boolean;
  elapsedMs: number;
}

/**
 * Runs `cadre <args>` as its own process and kills it (SIGKILL) once `deadlineMs` has passed, so a
 * run that hangs fails its test with what it printed instead of holding the suite until vitest gives up.
 */
export async function runCliWithin(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; deadlineMs: number },
): Promise<BoundedCliResult> {
  const started = Date.now();
  const child = startCli(args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.deadlineMs);
  try {
    const result = await finished(child);
    return {
      code: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut,
      elapsedMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}
