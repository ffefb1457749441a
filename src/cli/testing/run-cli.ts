import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { CliIo } from '../cli-io.ts';

/** The cadre executable, run exactly as `npx cadre` runs it. */
export const cadreBin = fileURLToPath(new URL('../../../bin/cadre.mjs', import.meta.url));

/** What a finished cadre process printed and how it exited. */
export interface CliResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Starts `cadre <args>` as a separate process (the real binary), for tests that kill or talk to it. */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  return spawn(process.execPath, [cadreBin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `cadre <args>` to the end and returns its output and exit code. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  const child = startCli(args, options);
  return finished(child);
}

/** Collects a started process's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    // a process that could not start ends with an error and no close
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** What a command run in this process printed, and the error it ended with (null on success). */
export interface InProcessResult {
  stdout: string;
  stderr: string;
  error: Error | null;
}

/**
 * Runs commands registered by `register` in this process with captured output: faster than a child
 * process and lets a test inject the environment. `args` are what follows `cadre`.
 */
export async function runInProcess(
  register: (program: Command, io: CliIo) => void,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  const program = new Command('cadre').exitOverride();
  register(program, io);
  const error = await program.parseAsync([...args], { from: 'user' }).then(
    () => null,
    (caught: unknown) => caught as Error,
  );
  return { stdout, stderr, error };
}
