import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { globToRegExp } from './glob-pattern.ts';
import { listFiles } from './list-files.ts';
import { isInside, resolveWorktreePath } from './path-confinement.ts';

const largestSearchedFileBytes = 5 * 1024 * 1024;
const longestShownLine = 300;

const GrepInput = z.object({
  pattern: z.string().min(1).describe('JavaScript regular expression searched for on each line.'),
  path: z
    .string()
    .min(1)
    .default('.')
    .describe('File or directory to search, relative to the worktree root. Default: the root.'),
  glob: z.string().min(1).optional().describe('Only search files whose path matches this glob, e.g. "*.ts".'),
  ignoreCase: z.boolean().default(false),
  maxMatches: z.int().min(1).max(2000).default(200).describe('Stop after this many matching lines.'),
});

/** One matching line. */
interface GrepMatch {
  file: string;
  line: number;
  text: string;
}

/** `grep`: lines matching a regular expression, across files that .gitignore does not exclude. */
export function createGrepTool(): Tool {
  return defineTool({
    name: 'grep',
    description:
      'Search file contents with a regular expression (JavaScript syntax), line by line. Skips files ignored by ' +
      '.gitignore and binary files. Prints "path:line:text" with paths relative to the worktree root.',
    inputSchema: GrepInput,
    async execute(input, context) {
      const matcher = compile(input.pattern, input.ignoreCase);
      const base = await resolveWorktreePath(context, input.path, { mustExist: true });
      const root = await realpath(context.worktreeRoot);
      const isDirectory = (await stat(base.absolute)).isDirectory();
      const listing = isDirectory
        ? await listFiles(base.absolute, context.signal)
        : { files: [''], source: 'walk' as const };
      const fileFilter = input.glob ? globToRegExp(input.glob) : null;
      const matches: GrepMatch[] = [];
      let searchedFiles = 0;
      for (const file of listing.files) {
        if (matches.length >= input.maxMatches) break;
        context.signal.throwIfAborted();
        const relativeToRoot = path.posix.join(base.relative.split(path.sep).join('/'), file);
        if (fileFilter && !fileFilter.test(file) && !fileFilter.test(relativeToRoot)) continue;
        const text = await readSearchable(path.join(base.absolute, file), root);
        if (text === null) continue;
        searchedFiles += 1;
        collectMatches(text, matcher, relativeToRoot, input.maxMatches - matches.length, matches);
      }
      const limited =
        matches.length >= input.maxMatches
          ? `\n(stopped at ${input.maxMatches} matches; narrow the search)`
          : '';
      const output =
        matches.length === 0
          ? `No matches for /${input.pattern}/ in ${searchedFiles} files under ${base.relative}.`
          : matches.map((match) => `${match.file}:${match.line}:${match.text}`).join('\n') + limited;
      return { output, details: { matchCount: matches.length, searchedFiles, source: listing.source } };
    },
  });
}

function compile(pattern: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(pattern, ignoreCase ? 'i' : '');
  } catch (error) {
    throw new ToolError(`Invalid regular expression /${pattern}/: ${(error as Error).message}`);
  }
}

async function readSearchable(file: string, root: string): Promise<string | null> {
  try {
    // A symlink inside the worktree may point outside it; its target is not the agent's to read.
    if (!isInside(root, await realpath(file))) return null;
    const status = await stat(file);
    if (!status.isFile() || status.size > largestSearchedFileBytes) return null;
    const bytes = await readFile(file);
    return bytes.subarray(0, 8192).includes(0) ? null : bytes.toString('utf8');
  } catch {
    // A file listed a moment ago may be gone now, or be a link to nowhere; neither is worth failing the search.
    return null;
  }
}

function collectMatches(text: string, matcher: RegExp, file: string, limit: number, into: GrepMatch[]): void {
  const lines = text.split(/\r?\n/);
  let remaining = limit;
  for (let index = 0; index < lines.length && remaining > 0; index += 1) {
    const line = lines[index]!;
    if (!matcher.test(line)) continue;
    const shown = line.length > longestShownLine ? `${line.slice(0, longestShownLine)}…` : line;
    into.push({ file, line: index + 1, text: shown });
    remaining -= 1;
  }
}
