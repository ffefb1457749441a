import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, link, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ShareMode } from './setup-settings.ts';

const run = promisify(execFile);

/**
 * The cheapest way installed files can be shared between `directory` and its siblings: copy-on-write
 * clones where the filesystem has them (btrfs, XFS), hard links on the same filesystem, or copies.
 */
export async function probeShareMode(
  directory: string,
  wanted: 'auto' | ShareMode,
  signal: AbortSignal,
): Promise<ShareMode> {
  if (wanted === 'copy') return 'copy';
  await mkdir(directory, { recursive: true });
  const source = join(directory, `.probe-${randomBytes(4).toString('hex')}`);
  const target = `${source}-target`;
  await writeFile(source, 'probe');
  try {
    if (wanted === 'auto' || wanted === 'reflink') {
      const cloned = await run('cp', ['--reflink=always', source, target], { signal }).then(
        () => true,
        () => false,
      );
      if (cloned) return 'reflink';
      if (wanted === 'reflink')
        throw new Error(
          `the filesystem of ${directory} has no copy-on-write clones (cp --reflink=always failed); use "share": "auto"`,
        );
    }
    await rm(target, { force: true });
    // a shared inode is safe only owned by a user the sandbox does not map (see protectSharedFiles)
    if (process.getuid?.() !== 0) {
      if (wanted === 'hardlink')
        throw new Error(
          '"share": "hardlink" needs cadre to run as root, to give the shared files away; use "auto"',
        );
      return 'copy';
    }
    const linked = await link(source, target).then(
      () => true,
      () => false,
    );
    if (linked) return 'hardlink';
    if (wanted === 'hardlink') throw new Error(`hard links do not work in ${directory}; use "share": "auto"`);
    return 'copy';
  } finally {
    await rm(source, { force: true });
    await rm(target, { force: true });
  }
}

/**
 * Brings `paths` (relative, as a template recorded them) from `template` into `worktree`. Hard links
 * share inodes, so templates shared that way have their files made read-only first (see
 * `protectSharedFiles`): an agent's in-place write then fails instead of changing every worktree.
 */
export async function shareInto(
  template: string,
  worktree: string,
  paths: readonly string[],
  mode: ShareMode,
  signal: AbortSignal,
): Promise<void> {
  const flags = { reflink: ['-a', '--reflink=always'], hardlink: ['-a', '-l'], copy: ['-a'] }[mode];
  for (const path of paths) {
    const source = join(template, path);
    const target = join(worktree, path);
    await mkdir(dirname(target), { recursive: true });
    // a checkout may hold a placeholder (an empty directory a setup fills): the template's state wins
    await rm(target, { recursive: true, force: true });
    await run('cp', [...flags, '--no-target-directory', source, target], { signal, maxBuffer: 1 << 20 });
  }
}

/** The owner of hard-linked template files: `nobody`, a user no sandbox maps. */
export const sharedFileOwner = '65534:65534';

/**
 * Gives every file under the template's shared paths to `nobody` and makes it read-only (and readable,
 * executable where it was, by everyone: only others' bits apply once `nobody` owns it); directories
 * stay the worktree's own. Inside the sandbox the agent (root with no capabilities, in a user
 * namespace that maps only root) can then read, run and unlink the files, but neither write them nor
 * chmod them back: an in-place write fails instead of changing every worktree that shares the inode.
 */
export async function protectSharedFiles(
  template: string,
  paths: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  for (const path of paths) {
    await run(
      'find',
      [
        join(template, path),
        '-type',
        'f',
        '-exec',
        'chown',
        sharedFileOwner,
        '{}',
        '+',
        '-exec',
        'chmod',
        // others' bits are the ones that apply in the sandbox: an owner-only file must stay readable
        'a-w,a+rX',
        '{}',
        '+',
      ],
      { signal, maxBuffer: 1 << 20 },
    );
  }
}

/**
 * Lists the installed paths in the worktree's own `.git/info/exclude`: what setup made is never part
 * of an agent's change, even in a project whose .gitignore forgets it.
 */
export async function excludeFromCommits(worktreePath: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const exclude = join(worktreePath, '.git', 'info', 'exclude');
  await mkdir(dirname(exclude), { recursive: true });
  // gitignore patterns: anchored at the root, with their wildcard characters escaped
  const lines = paths.map((path) => `/${path.replace(/[*?[\\]/g, (character) => `\\${character}`)}`);
  await appendFile(exclude, `\n# installed by workspace.setup\n${lines.join('\n')}\n`);
}
