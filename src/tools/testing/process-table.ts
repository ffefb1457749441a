import { readdir, readFile } from 'node:fs/promises';

/** Host pids of live processes whose command line contains `marker` (read from /proc). */
export async function processIdsWithCommandLine(marker: string): Promise<number[]> {
  const entries = await readdir('/proc');
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const state = await readFile(`/proc/${entry}/stat`, 'utf8');
      // A zombie has exited; only its parent's bookkeeping is left.
      if (commandLine.includes(marker) && !/\) Z /.test(state)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Polls until `check` holds or `limitMilliseconds` passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, limitMilliseconds: number): Promise<boolean> {
  const deadline = Date.now() + limitMilliseconds;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
