import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from '../workspace/index.ts';

/** Options of measureSerialPushes. */
export interface SerialPushOptions {
  git: Git;
  /** A user repository to seed the baseline's own bare repository from. */
  userRepo: string;
  /** Scratch directory for the bare repository and its clone. */
  directory: string;
  commits: number;
  signal: AbortSignal;
}

/**
 * The baseline of `cadre bench landing`: one process making one-file commits with plain git and
 * pushing each to a bare repository, one after another (`add`, `commit`, `push`), with the same git
 * runner the landers use. Returns commits per second.
 */
export async function measureSerialPushes(options: SerialPushOptions): Promise<number> {
  const { git, signal, directory } = options;
  const bare = join(directory, 'serial.git');
  const clone = join(directory, 'serial-clone');
  await git(['init', '--quiet', '--bare', '--initial-branch=main', bare], { cwd: directory, signal });
  await git(['push', '--quiet', '--no-verify', bare, 'HEAD:refs/heads/main'], {
    cwd: options.userRepo,
    signal,
  });
  await git(['clone', '--quiet', '--shared', '--config=core.hooksPath=/dev/null', bare, clone], {
    cwd: directory,
    signal,
  });
  const started = performance.now();
  for (let index = 0; index < options.commits; index++) {
    await writeFile(join(clone, `serial-${index}.txt`), `serial commit ${index}\n`);
    await git(['add', '--all'], { cwd: clone, signal });
    await git(['commit', '--quiet', '--no-verify', '-m', `Serial commit ${index}`], { cwd: clone, signal });
    await git(['push', '--quiet', '--no-verify', 'origin', 'HEAD:refs/heads/main'], { cwd: clone, signal });
  }
  return options.commits / ((performance.now() - started) / 1000);
}
