import { spawn } from 'node:child_process';
import { createOutputCollector } from './output-collector.ts';

/** How a process ended. */
export type ProcessEnd =
  | { type: 'exited'; exitCode: number }
  | { type: 'signaled'; signal: string }
  | { type: 'timed-out'; timeoutMilliseconds: number }
  | { type: 'aborted' }
  | { type: 'spawn-failed'; message: string };

/** A finished process: how it ended and its merged stdout and stderr. */
export interface ProcessResult {
  end: ProcessEnd;
  output: string;
  droppedBytes: number;
}

/** Options of runProcessTree. */
export interface RunProcessTreeOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMilliseconds: number;
  outputCapBytes: number;
  signal: AbortSignal;
  /** Receives stdout as it comes, before the cap (an engine's event stream is read line by line). */
  onStdout?: (chunk: Buffer) => void;
}

// Output still buffered in the pipes when the process exits is given this long to arrive.
const drainMilliseconds = 500;

/**
 * Runs a program in its own process group and, on timeout or abort, SIGKILLs the whole group at once,
 * so grandchildren (a `sleep` a test runner started, a server the agent backgrounded) die with it.
 * Whatever is left in the group after a normal exit is killed too.
 */
export function runProcessTree(options: RunProcessTreeOptions): Promise<ProcessResult> {
  const collector = createOutputCollector(options.outputCapBytes);
  if (options.signal.aborted)
    return Promise.resolve({ end: { type: 'aborted' }, output: '', droppedBytes: 0 });
  return new Promise((resolve) => {
    const child = spawn(options.file, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let forcedEnd: ProcessEnd | null = null;
    let settled = false;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const stop = (end: ProcessEnd) => {
      forcedEnd ??= end;
      killGroup();
    };
    const onAbort = () => stop({ type: 'aborted' });
    const timer = setTimeout(
      () => stop({ type: 'timed-out', timeoutMilliseconds: options.timeoutMilliseconds }),
      options.timeoutMilliseconds,
    );
    options.signal.addEventListener('abort', onAbort, { once: true });

    const finish = (end: ProcessEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      const collected = collector.finish();
      resolve({ end: forcedEnd ?? end, output: collected.text, droppedBytes: collected.droppedBytes });
    };

    child.stdout.on('data', (chunk: Buffer) => {
      options.onStdout?.(chunk);
      collector.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => collector.push(chunk));
    child.on('error', (error) => finish({ type: 'spawn-failed', message: error.message }));
    child.on('exit', (exitCode, signal) => {
      killGroup();
      const end: ProcessEnd =
        exitCode === null ? { type: 'signaled', signal: signal ?? 'unknown' } : { type: 'exited', exitCode };
      // A process that escaped the group could hold the pipes open forever; do not wait on it.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(end);
      }, drainMilliseconds);
      child.on('close', () => {
        clearTimeout(drain);
        finish(end);
      });
    });
  });
}
