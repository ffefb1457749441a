import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A suite's own files as it shipped them, by path relative to the trial's root. */
export type PristineFiles = ReadonlyMap<string, Buffer>;

const testPath = /(^|\/)(tests?|__tests__|specs?)\/|(^|\/|[._-])(test|spec)([._-][^/]*)?$/i;

/** Whether a relative path looks like a test file (`test.mjs`, `foo.test.ts`, `tests/…`, `spec/…`). */
export function isTestPath(relative: string): boolean {
  return testPath.test(relative.split(path.sep).join('/'));
}

/**
 * Reads the files of a directory to restore before grading: the listed paths, or (with no list)
 * every file that looks like a test. Symbolic links are skipped: a suite ships files.
 */
export async function readPristineFiles(directory: string, only?: readonly string[]): Promise<PristineFiles> {
  const files = new Map<string, Buffer>();
  const relatives = only ?? (await listFiles(directory)).filter(isTestPath);
  for (const relative of relatives) files.set(relative, await readFile(path.join(directory, relative)));
  return files;
}

/**
 * Writes the pristine files over a trial's copy. An agent may have replaced a file, or a directory
 * on its path, with a symbolic link: each such link is removed first, so a write never follows one
 * out of the copy.
 */
export async function restorePristineFiles(root: string, files: PristineFiles): Promise<void> {
  for (const [relative, content] of files) {
    const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) throw new Error(`a pristine file may not leave the trial: ${relative}`);
    let current = root;
    for (const [index, part] of parts.entries()) {
      current = path.join(current, part);
      const stats = await lstat(current).catch(() => null);
      const last = index === parts.length - 1;
      // a directory on the way must be a real directory; the file itself is replaced whatever it is
      if (stats && (last || !stats.isDirectory())) await rm(current, { recursive: true, force: true });
    }
    await mkdir(path.dirname(current), { recursive: true });
    await writeFile(current, content);
  }
}

async function listFiles(directory: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(directory, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(directory, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}
