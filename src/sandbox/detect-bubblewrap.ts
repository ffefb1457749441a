import { execFile } from 'node:child_process';

/** Whether bubblewrap can sandbox commands on this machine. */
export type BubblewrapStatus =
  | { type: 'available'; path: string }
  | { type: 'missing'; path: string }
  | { type: 'broken'; path: string; reason: string };

const probeTimeoutMilliseconds = 15_000;

/**
 * Runs `true` under bubblewrap with the same arguments real commands get, so a kernel or container
 * that forbids user namespaces shows up here, with bwrap's own words, rather than on every command.
 */
export function detectBubblewrap(
  bubblewrapPath: string,
  probeArguments: readonly string[],
  signal: AbortSignal,
): Promise<BubblewrapStatus> {
  return new Promise((resolve) => {
    execFile(
      bubblewrapPath,
      [...probeArguments],
      { signal, timeout: probeTimeoutMilliseconds, encoding: 'utf8' },
      (error, _stdout, stderr) => {
        if (!error) return resolve({ type: 'available', path: bubblewrapPath });
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return resolve({ type: 'missing', path: bubblewrapPath });
        const reason = stderr.trim() || error.message;
        resolve({ type: 'broken', path: bubblewrapPath, reason });
      },
    );
  });
}
