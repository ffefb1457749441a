import { spawn } from 'node:child_process';

/** Who commits made by cadre are attributed to. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** The default committer of landings; the Cadre-Agent trailer says which agent did the work. */
export const cadreIdentity: GitIdentity = { name: 'cadre', email: 'cadre@localhost' };

/** One git invocation. */
export interface GitCall {
  cwd: string;
  signal: AbortSignal;
  /** Exit codes that are answers rather than failures (for example 1 from `merge-tree`). */
  acceptExitCodes?: readonly number[];
  /** Text written to git's stdin. */
  input?: string;
}

/** What a finished git command printed. */
export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs git in a clean environment; see createGit. */
export type Git = (args: readonly string[], call: GitCall) => Promise<GitResult>;

/** A git command exited with a code the caller did not accept. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited with ${exitCode}: ${stderr.trim().slice(0, 2000)}`);
    this.name = 'GitError';
  }
}

/** Options of createGit. */
export interface GitOptions {
  identity?: GitIdentity;
  /** Extra environment, e.g. GIT_SSH_COMMAND for a remote hub. */
  environment?: Record<string, string>;
  /** Read the user's ~/.gitconfig (credential helpers for a remote hub); off by default. */
  inheritUserConfig?: boolean;
  /** Path of the git executable. */
  executable?: string;
}

/**
 * Settings passed on every call: worktrees are written by agents, so fsmonitor and similar
 * programs named in a repository's config must never run. Hooks are turned off with
 * `core.hooksPath` in each worktree's own config instead of here, because `-c` settings travel
 * to the hub's receive-pack through the environment and would switch off the hub's server-side
 * hooks too.
 */
const hardening = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false', '-c', 'gc.auto=0'];

/** Builds the environment git runs in: nothing from the user's shell but PATH, HOME and SSH agent. */
function cleanEnvironment(options: GitOptions): NodeJS.ProcessEnv {
  const identity = options.identity ?? cadreIdentity;
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    GIT_CONFIG_NOSYSTEM: '1',
    ...options.environment,
  };
  if (!options.inheritUserConfig) environment.GIT_CONFIG_GLOBAL = '/dev/null';
  if (process.env.SSH_AUTH_SOCK) environment.SSH_AUTH_SOCK = process.env.SSH_AUTH_SOCK;
  return environment;
}

/** Makes a git runner with a clean environment, hardening settings and AbortSignal support. */
export function createGit(options: GitOptions = {}): Git {
  const environment = cleanEnvironment(options);
  const executable = options.executable ?? 'git';
  return (args, call) =>
    new Promise<GitResult>((resolve, reject) => {
      call.signal.throwIfAborted();
      // SIGTERM, not SIGKILL, on abort: git removes its lock files on SIGTERM, so the repository stays usable
      const child = spawn(executable, [...hardening, ...args], {
        cwd: call.cwd,
        env: environment,
        signal: call.signal,
        killSignal: 'SIGTERM',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on('error', () => {});
      child.stdin.end(call.input ?? '');
      child.on('error', reject);
      child.on('close', (code) => {
        if (call.signal.aborted) {
          reject(call.signal.reason);
          return;
        }
        const result = {
          exitCode: code ?? -1,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        };
        if (code === 0 || (code !== null && call.acceptExitCodes?.includes(code))) resolve(result);
        else reject(new GitError(args, result.exitCode, result.stderr));
      });
    });
}

/** Runs git and returns its stdout without the trailing newline. */
export async function gitText(git: Git, args: readonly string[], call: GitCall): Promise<string> {
  return (await git(args, call)).stdout.replace(/\n$/, '');
}
