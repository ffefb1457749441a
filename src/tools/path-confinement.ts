import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { type ToolContext, ToolError } from '../agent/index.ts';

/** A path the model named, resolved and proven to lie inside the worktree. */
export interface ConfinedPath {
  /** Absolute path with every existing symlink resolved; safe to open. */
  absolute: string;
  /** Path relative to the worktree root ('.' for the root itself), for messages. */
  relative: string;
  exists: boolean;
  /** Whether the directory that holds it exists (a writer needs no mkdir then). */
  parentExists: boolean;
}

/** What the caller is about to do with the path. */
export interface ResolvePathOptions {
  /** The path must exist; a missing one is counted as a hallucinated reference and refused. */
  mustExist: boolean;
  /** The caller will write: paths inside a protected `.git` directory are refused. */
  forWriting?: boolean;
}

/**
 * Resolves a model-supplied path against the worktree and refuses anything that leads outside it:
 * `..`, absolute paths elsewhere, and symlinks (however they got there) whose target is outside.
 * The nearest existing ancestor is resolved with realpath so a link planted anywhere on the way counts.
 */
export async function resolveWorktreePath(
  context: ToolContext,
  requested: string,
  options: ResolvePathOptions,
): Promise<ConfinedPath> {
  if (requested.includes('\0')) throw new ToolError('A path must not contain NUL characters.');
  const root = context.resolvedWorktreeRoot ?? (await realpath(context.worktreeRoot));
  const candidate = path.resolve(root, rebaseOntoRoot(requested, context.worktreeRoot, root));
  if (!isInside(root, candidate)) throw outsideError(requested);

  const { resolvedAncestor, missing } = await nearestExistingAncestor(candidate, requested);
  const absolute = path.join(resolvedAncestor, ...missing);
  if (!isInside(root, absolute)) throw outsideError(requested, 'through a symbolic link');

  const relative = path.relative(root, absolute) || '.';
  const exists = missing.length === 0;
  if (options.mustExist) {
    context.counters.pathReferences += 1;
    if (!exists) {
      context.counters.missingPathReferences += 1;
      throw new ToolError(`No such file or directory: ${requested}`, { path: requested, reason: 'missing' });
    }
  }
  if (options.forWriting && context.config.shell.protectGitDirectory && isInGitDirectory(relative)) {
    throw new ToolError(`Writing inside .git is not allowed: ${requested}`, {
      path: requested,
      reason: 'git-directory',
    });
  }
  return { absolute, relative, exists, parentExists: missing.length <= 1 };
}

// An absolute path spelled with the unresolved root (say /tmp/x when /tmp is a link) is still inside.
function rebaseOntoRoot(requested: string, givenRoot: string, resolvedRoot: string): string {
  const given = path.resolve(givenRoot);
  if (!path.isAbsolute(requested) || !isInside(given, requested)) return requested;
  return path.join(resolvedRoot, path.relative(given, requested));
}

async function nearestExistingAncestor(
  candidate: string,
  requested: string,
): Promise<{ resolvedAncestor: string; missing: string[] }> {
  const missing: string[] = [];
  let current = candidate;
  for (;;) {
    const status = await linkStatus(current);
    if (typeof status === 'object') return { resolvedAncestor: status.resolved, missing };
    // A dangling link may point anywhere, and writing through it would create its target: refuse it.
    if (status === 'dangling-link') {
      throw new ToolError(`The path goes through a broken symbolic link: ${requested}`, { path: requested });
    }
    missing.unshift(path.basename(current));
    current = path.dirname(current);
  }
}

/** `resolved` is the realpath of an existing target: one call both tests and resolves it. */
async function linkStatus(target: string): Promise<{ resolved: string } | 'missing' | 'dangling-link'> {
  try {
    return { resolved: await realpath(target) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new ToolError(`Too many levels of symbolic links: ${target}`, { path: target });
    }
    if (!isMissingError(error)) throw error;
  }
  try {
    await lstat(target);
    return 'dangling-link';
  } catch (error) {
    if (isMissingError(error)) return 'missing';
    throw error;
  }
}

/** True when `child` is `root` or lies below it. */
export function isInside(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

function isInGitDirectory(relative: string): boolean {
  return relative === '.git' || relative.startsWith(`.git${path.sep}`);
}

function isMissingError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function outsideError(requested: string, how = ''): ToolError {
  const suffix = how ? ` ${how}` : '';
  return new ToolError(
    `Access denied: ${requested} leads outside the worktree${suffix}. Use paths inside the worktree.`,
    {
      path: requested,
      reason: 'outside-worktree',
    },
  );
}
