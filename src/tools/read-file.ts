import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const defaultLineCount = 2000;
const largestFileBytes = 20 * 1024 * 1024;

const ReadFileInput = z.object({
  path: z.string().min(1).describe('File path, relative to the worktree root.'),
  startLine: z.int().min(1).optional().describe('First line to show (1-based). Default 1.'),
  endLine: z
    .int()
    .min(1)
    .optional()
    .describe(`Last line to show, inclusive. Default: ${defaultLineCount} lines from startLine.`),
});

/** `read_file`: a file's lines, numbered, optionally one range of them. */
export function createReadFileTool(): Tool {
  return defineTool({
    name: 'read_file',
    description:
      'Read a text file in the worktree. Lines are prefixed with their number and a tab (the prefix is not ' +
      `part of the file). Reads at most ${defaultLineCount} lines at a time; use startLine/endLine for more.`,
    inputSchema: ReadFileInput,
    async execute(input, context) {
      const target = await resolveWorktreePath(context, input.path, { mustExist: true });
      const status = await stat(target.absolute);
      if (status.isDirectory())
        throw new ToolError(`${target.relative} is a directory; use list_dir to see its entries.`);
      if (status.size > largestFileBytes) {
        throw new ToolError(
          `${target.relative} is ${status.size} bytes, too large to read; use grep to find what you need.`,
        );
      }
      const bytes = await readFile(target.absolute, { signal: context.signal });
      if (bytes.subarray(0, 8192).includes(0))
        throw new ToolError(`${target.relative} looks like a binary file.`);
      const lines = splitLines(bytes.toString('utf8'));
      const startLine = input.startLine ?? 1;
      const endLine = Math.min(input.endLine ?? startLine + defaultLineCount - 1, lines.length);
      if (input.endLine !== undefined && input.endLine < startLine) {
        throw new ToolError(`endLine (${input.endLine}) is before startLine (${startLine}).`);
      }
      if (lines.length === 0)
        return { output: `(${target.relative} is empty)`, details: { path: target.relative, lineCount: 0 } };
      if (startLine > lines.length) {
        throw new ToolError(
          `${target.relative} has only ${lines.length} lines; startLine ${startLine} is past the end.`,
        );
      }
      const width = String(endLine).length;
      const shown = lines
        .slice(startLine - 1, endLine)
        .map((line, index) => `${String(startLine + index).padStart(width)}\t${line}`);
      const rest =
        endLine < lines.length
          ? `\n(showing lines ${startLine}-${endLine} of ${lines.length}; use startLine to read on)`
          : '';
      return {
        output: shown.join('\n') + rest,
        details: { path: target.relative, startLine, endLine, lineCount: lines.length },
      };
    },
  });
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
