import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool, type Tool } from '../agent/index.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const WriteFileInput = z.object({
  path: z
    .string()
    .min(1)
    .describe('File path, relative to the worktree root. Missing directories are created.'),
  content: z.string().describe('The complete new content of the file.'),
});

/** `write_file`: creates or overwrites one file with the given content. */
export function createWriteFileTool(): Tool {
  return defineTool({
    name: 'write_file',
    description:
      'Create a file or replace its whole content. Creates missing parent directories. To change part of an ' +
      'existing file, prefer edit_file.',
    inputSchema: WriteFileInput,
    async execute(input, context) {
      const target = await resolveWorktreePath(context, input.path, { mustExist: false, forWriting: true });
      if (!target.parentExists) await mkdir(path.dirname(target.absolute), { recursive: true });
      await writeFile(target.absolute, input.content, { signal: context.signal });
      const bytes = Buffer.byteLength(input.content);
      const verb = target.exists ? 'Overwrote' : 'Created';
      return {
        output: `${verb} ${target.relative} (${bytes} bytes).`,
        details: { path: target.relative, bytes, created: !target.exists },
      };
    },
  });
}
