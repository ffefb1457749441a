import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * A host process standing for cadre itself: a secret in the environment it started with (which is
 * what /proc/<pid>/environ shows; later `process.env` writes never reach that file) and a secret on
 * its command line, for probes that read or trace another process.
 */
export interface StandInProcess {
  pid: number;
  /** Whether it still runs and is not stopped (a probe may have tried SIGSTOP or ptrace). */
  runsUnharmed(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts the stand-in; `environment` is added to this process's own. */
export async function startStandInProcess(
  environment: Record<string, string>,
  commandLineSecret: string,
): Promise<StandInProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', 'setInterval(() => {}, 1 << 30)', commandLineSecret],
    {
      env: { ...process.env, ...environment },
      stdio: 'ignore',
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the stand-in process did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid,
    async runsUnharmed() {
      try {
        const state = await readFile(`/proc/${pid}/stat`, 'utf8');
        // The state letter follows the command name in parentheses: T is stopped or traced, Z is dead.
        return !/\) [TtZX] /.test(state);
      } catch {
        return false;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
