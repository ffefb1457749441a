import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const Edit = z.object({
  oldText: z
    .string()
    .min(1)
    .describe('Exact text to replace, including whitespace and indentation; must occur exactly once.'),
  newText: z.string().describe('Text to put in its place.'),
  replaceAll: z
    .boolean()
    .default(false)
    .describe('Replace every occurrence instead of requiring exactly one.'),
});

const EditFileInput = z.object({
  path: z.string().min(1).describe('File path, relative to the worktree root.'),
  edits: z.array(Edit).min(1).describe('Replacements applied in order; if any fails, none is applied.'),
});

/** `edit_file`: exact string replacements in one file, all applied or none. */
export function createEditFileTool(): Tool {
  return defineTool({
    name: 'edit_file',
    description:
      'Edit a file by exact string replacement. Each oldText must match the file exactly (no line-number ' +
      'prefixes from read_file) and occur exactly once unless replaceAll is set; include surrounding lines to ' +
      'make it unique. Several edits apply in order; if any fails, the file is left unchanged.',
    inputSchema: EditFileInput,
    async execute(input, context) {
      const target = await resolveWorktreePath(context, input.path, { mustExist: true, forWriting: true });
      if ((await stat(target.absolute)).isDirectory())
        throw new ToolError(`${target.relative} is a directory, not a file.`);
      const original = await readFile(target.absolute, { encoding: 'utf8', signal: context.signal });
      let content = original;
      let replacements = 0;
      for (const [index, edit] of input.edits.entries()) {
        const label = input.edits.length > 1 ? `Edit ${index + 1} of ${input.edits.length}` : 'The edit';
        if (edit.oldText === edit.newText)
          throw new ToolError(`${label}: oldText and newText are identical. Nothing was changed.`);
        const count = countOccurrences(content, edit.oldText);
        if (count === 0)
          throw new ToolError(
            `${label}: oldText was not found in ${target.relative}${missHint(content, edit.oldText)}. Nothing was changed.`,
          );
        if (count > 1 && !edit.replaceAll) {
          throw new ToolError(
            `${label}: oldText occurs ${count} times in ${target.relative}; include more surrounding text to make it unique, or set replaceAll. Nothing was changed.`,
          );
        }
        content = content.split(edit.oldText).join(edit.newText);
        replacements += count;
      }
      await writeFile(target.absolute, content, { signal: context.signal });
      return {
        output: `Edited ${target.relative}: ${input.edits.length} edit(s), ${replacements} replacement(s).`,
        details: {
          path: target.relative,
          edits: input.edits.length,
          replacements,
          bytesBefore: original.length,
          bytesAfter: content.length,
        },
      };
    },
  });
}

function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + search.length))
    count += 1;
  return count;
}

// The usual near misses are line endings and indentation; naming them saves the model a round trip.
function missHint(content: string, oldText: string): string {
  if (
    content.includes('\r\n') &&
    !oldText.includes('\r\n') &&
    content.includes(oldText.replace(/\n/g, '\r\n'))
  ) {
    return ' (the file uses CRLF line endings)';
  }
  const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (squeeze(content).includes(squeeze(oldText)))
    return ' (a match exists if whitespace is ignored; check indentation)';
  return '';
}
