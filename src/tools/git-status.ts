import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { runGit } from './git-command.ts';

const GitStatusInput = z.object({});

/** `git_status`: the branch and the changed, staged and untracked files of the worktree. */
export function createGitStatusTool(): Tool {
  return defineTool({
    name: 'git_status',
    description:
      'Show the current branch and the staged, unstaged and untracked files of the worktree (git status --short --branch).',
    inputSchema: GitStatusInput,
    async execute(_input, context) {
      const result = await runGit(['status', '--short', '--branch', '--untracked-files=all'], {
        cwd: context.worktreeRoot,
        signal: context.signal,
      });
      if (result.exitCode !== 0)
        throw new ToolError(`git status failed: ${result.stderr.trim()}`, { exitCode: result.exitCode });
      const lines = result.stdout.trimEnd().split('\n');
      const changed = lines.filter((line) => !line.startsWith('##'));
      const output = changed.length === 0 ? `${lines[0] ?? ''}\n(working tree clean)` : lines.join('\n');
      return { output, details: { changedFiles: changed.length } };
    },
  });
}
