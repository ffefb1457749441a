import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** What a finished git command printed. */
export interface GitCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Options of runGit. */
export interface RunGitOptions {
  cwd: string;
  signal: AbortSignal;
  /** Largest stdout accepted before the command is treated as failed. */
  maxBufferBytes?: number;
}

/**
 * Settings that keep a repository's own config from running programs when git runs outside the
 * sandbox: the agent can edit files in the worktree, so hooks, fsmonitor and external diff drivers
 * must not be honoured.
 */
const hardeningArguments = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.quotePath=false',
];

/** Runs git with hardening settings; resolves with the exit code instead of throwing on failure. */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitCommandResult> {
  try {
    const result = await execFileAsync('git', [...hardeningArguments, ...args], {
      cwd: options.cwd,
      signal: options.signal,
      maxBuffer: options.maxBufferBytes ?? 64 * 1024 * 1024,
      encoding: 'utf8',
      // Optional locks would let `git status` rewrite the index while the agent's shell may be using it.
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    return { exitCode: 0, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string; name?: string };
    if (options.signal.aborted || typeof failure.code !== 'number') throw error;
    return { exitCode: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
