import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { runGit } from './git-command.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const GitDiffInput = z.object({
  staged: z
    .boolean()
    .default(false)
    .describe('Show staged changes (the index against HEAD) instead of unstaged ones.'),
  base: z
    .string()
    .regex(/^[^-\s][^\s]*$/, 'a revision such as HEAD~1 or main, not an option')
    .optional()
    .describe('Compare the working tree against this revision instead (e.g. HEAD, main).'),
  paths: z
    .array(z.string().min(1))
    .default([])
    .describe('Limit the diff to these paths, relative to the worktree root.'),
});

/** `git_diff`: the worktree's changes as a unified diff. */
export function createGitDiffTool(): Tool {
  return defineTool({
    name: 'git_diff',
    description:
      'Show changes as a unified diff: unstaged changes by default, staged ones with staged=true, or the working ' +
      'tree against a revision with base. Untracked files are not included; git_status lists them.',
    inputSchema: GitDiffInput,
    async execute(input, context) {
      const paths = await Promise.all(
        input.paths.map(
          async (requested) => (await resolveWorktreePath(context, requested, { mustExist: false })).relative,
        ),
      );
      // External diff drivers and textconv filters come from repository config the agent could have edited.
      const args = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--stat', '--patch'];
      if (input.staged) args.push('--cached');
      if (input.base) args.push(input.base);
      args.push('--', ...paths.map((relative) => `:(literal)${relative}`));
      const result = await runGit(args, { cwd: context.worktreeRoot, signal: context.signal });
      if (result.exitCode !== 0)
        throw new ToolError(`git diff failed: ${result.stderr.trim()}`, { exitCode: result.exitCode });
      const output = result.stdout.trim() === '' ? '(no differences)' : result.stdout.trimEnd();
      return { output, details: { staged: input.staged, base: input.base ?? null, paths } };
    },
  });
}
