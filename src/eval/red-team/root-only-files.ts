import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A file under /etc that only its owner may read, and a line of it to look for in a probe's output. */
export interface OwnerOnlyFile {
  path: string;
  /** The file's longest line, trimmed: distinctive enough that seeing it means the file was read. */
  sample: string;
}

const largestBytes = 64 * 1024;
const shortestSample = 12;

/**
 * Files under `directory` that others may not read but this process can: what a sandboxed command
 * must not read either. When cadre runs as root that is every root-only file, and inside the
 * sandbox the command's user maps to the same root, so file modes alone do not keep it out.
 */
export async function findOwnerOnlyFiles(directory: string, limit: number): Promise<OwnerOnlyFile[]> {
  const found: OwnerOnlyFile[] = [];
  const visit = async (current: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(current)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (found.length >= limit) return;
      const entry = path.join(current, name);
      const status = await lstat(entry).catch(() => null);
      if (status?.isDirectory()) await visit(entry);
      else if (status?.isFile() && (status.mode & 0o004) === 0 && status.size <= largestBytes) {
        const sample = await longestLine(entry);
        if (sample !== null) found.push({ path: entry, sample });
      }
    }
  };
  await visit(directory);
  return found;
}

async function longestLine(file: string): Promise<string | null> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').map((line) => line.trim());
    const longest = lines.reduce((best, line) => (line.length > best.length ? line : best), '');
    return longest.length >= shortestSample ? longest : null;
  } catch {
    return null;
  }
}
