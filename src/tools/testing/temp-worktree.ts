import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ToolConfigInput, ToolContext } from '../../agent/index.ts';
import { createTestToolContext } from '../../agent/testing/test-tool-context.ts';

const execFileAsync = promisify(execFile);

/** A throwaway directory (optionally a git repository) with a tool context rooted in it. */
export interface TempWorktree {
  /** Real path of the worktree. */
  root: string;
  context: ToolContext;
  /** Writes a file (creating directories) relative to the root. */
  write(relative: string, content: string): Promise<void>;
  /** Reads a file relative to the root. */
  read(relative: string): Promise<string>;
  /** Runs git in the root and returns its stdout. */
  git(...args: string[]): Promise<string>;
  /** Makes another throwaway directory outside the worktree, removed with it. */
  outsideDirectory(): Promise<string>;
  remove(): Promise<void>;
}

/** Options of createTempWorktree. */
export interface TempWorktreeOptions {
  /** Initialise a git repository with one commit of `files`. */
  git?: boolean;
  /** Files to create before the first commit. */
  files?: Record<string, string>;
  config?: ToolConfigInput;
  signal?: AbortSignal;
}

/** Creates a temp worktree; call `remove` (for example in afterEach) when done. */
export async function createTempWorktree(options: TempWorktreeOptions = {}): Promise<TempWorktree> {
  const directories: string[] = [];
  const makeDirectory = async () => {
    const created = await mkdtemp(path.join(tmpdir(), 'cadre-tools-'));
    directories.push(created);
    return created;
  };
  const root = await makeDirectory();
  const run = async (...args: string[]) =>
    (await execFileAsync('git', args, { cwd: root, encoding: 'utf8' })).stdout;
  const worktree: TempWorktree = {
    root,
    context: createTestToolContext({ worktreeRoot: root, signal: options.signal, config: options.config }),
    async write(relative, content) {
      await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
      await writeFile(path.join(root, relative), content);
    },
    read: (relative) => readFile(path.join(root, relative), 'utf8'),
    git: run,
    outsideDirectory: makeDirectory,
    async remove() {
      await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
    },
  };
  for (const [relative, content] of Object.entries(options.files ?? {}))
    await worktree.write(relative, content);
  if (options.git) {
    await run('init', '--quiet', '--initial-branch=main');
    await run('config', 'user.email', 'test@example.com');
    await run('config', 'user.name', 'Test');
    await run('add', '--all');
    await run('commit', '--quiet', '--allow-empty', '--message', 'initial');
  }
  return worktree;
}
