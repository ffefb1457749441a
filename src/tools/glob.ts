import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { globToRegExp } from './glob-pattern.ts';
import { listFiles } from './list-files.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const largestMatchCount = 1000;

const GlobInput = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob such as "**/*.ts" or "src/{a,b}/*.json"; without a slash it matches file names at any depth.',
    ),
  path: z
    .string()
    .min(1)
    .default('.')
    .describe('Directory to search below, relative to the worktree root. Default: the root.'),
});

/** `glob`: files matching a glob pattern, honouring .gitignore. */
export function createGlobTool(): Tool {
  return defineTool({
    name: 'glob',
    description:
      'Find files by glob pattern (*, ?, **, {a,b}, [abc]) below a directory of the worktree. Files ignored ' +
      'by .gitignore are skipped. Paths are printed relative to the searched directory.',
    inputSchema: GlobInput,
    async execute(input, context) {
      const base = await resolveWorktreePath(context, input.path, { mustExist: true });
      if (!(await stat(base.absolute)).isDirectory())
        throw new ToolError(`${base.relative} is a file, not a directory.`);
      const matcher = globToRegExp(input.pattern);
      const listing = await listFiles(base.absolute, context.signal);
      const matches = listing.files.filter((file) => matcher.test(file));
      const shown = matches.slice(0, largestMatchCount);
      const more =
        matches.length > shown.length
          ? `\n(${matches.length - shown.length} more files not shown; narrow the pattern)`
          : '';
      const output =
        matches.length === 0
          ? `No files match ${input.pattern} in ${base.relative}.`
          : shown.join('\n') + more;
      return {
        output,
        details: {
          path: base.relative,
          pattern: input.pattern,
          matchCount: matches.length,
          source: listing.source,
        },
      };
    },
  });
}
