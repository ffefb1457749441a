import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const largestEntryCount = 1000;

const ListDirInput = z.object({
  path: z
    .string()
    .min(1)
    .default('.')
    .describe('Directory, relative to the worktree root. Default: the root.'),
});

/** `list_dir`: the entries of one directory, directories marked with a trailing slash. */
export function createListDirTool(): Tool {
  return defineTool({
    name: 'list_dir',
    description:
      'List the entries of one directory in the worktree (not recursive). Directories end with "/", ' +
      'symbolic links with "@". Use glob to find files by pattern across directories.',
    inputSchema: ListDirInput,
    async execute(input, context) {
      const target = await resolveWorktreePath(context, input.path, { mustExist: true });
      let entries: Dirent[];
      try {
        entries = await readdir(target.absolute, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
          throw new ToolError(`${target.relative} is a file, not a directory; use read_file to read it.`);
        }
        throw error;
      }
      const names = entries.map((entry) => entry.name + suffix(entry)).sort();
      const shown = names.slice(0, largestEntryCount);
      const more =
        names.length > shown.length ? `\n(${names.length - shown.length} more entries not shown)` : '';
      const output = names.length === 0 ? `(${target.relative} is empty)` : shown.join('\n') + more;
      return { output, details: { path: target.relative, entryCount: names.length } };
    },
  });
}

function suffix(entry: Dirent): string {
  if (entry.isDirectory()) return '/';
  if (entry.isSymbolicLink()) return '@';
  return '';
}
