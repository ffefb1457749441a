import { z } from 'zod';
import { defineTool, FatalToolError, type Tool, ToolError } from '../agent/index.ts';
import { formatConflictReport, type Lander, type TaskTrailers } from '../workspace/index.ts';

/** What the worker's landing achieved. */
export interface LandState {
  landed: { commit: string; source: 'push' | 'board' | 'branch' } | null;
  conflicts: number;
}

/** Options of the land tool. */
export interface LandToolOptions {
  lander: Lander;
  worktreePath: string;
  task: TaskTrailers;
  /** Run the project's checks before pushing. */
  runChecks: boolean;
}

const landInput = z.object({
  message: z.string().min(1).max(10_000).describe('commit message: what changed and why'),
});

/** Marks the line of a conflict result that lists the files, so tools and simulated workers can find them. */
export const conflictFilesPrefix = 'conflict in: ';

/**
 * The worker's `land` tool: commits the worktree with cadre's trailers, rebases on the shared
 * branch and pushes. A conflict comes back as a tool result with both sides of every hunk; the
 * worker resolves it and calls land again — there is no integrator. A lost lease ends the agent.
 */
export function createLandTool(options: LandToolOptions): { tool: Tool; state: LandState } {
  const state: LandState = { landed: null, conflicts: 0 };
  const tool = defineTool({
    name: 'land',
    description:
      'Commit your change and land it on the shared branch (fetch, rebase, push). On a conflict you get both sides of each conflicting hunk: resolve them in your worktree and call land again.',
    inputSchema: landInput,
    outputCapCharacters: 60_000,
    async execute(input, context) {
      if (state.landed) {
        return {
          output: `already landed as ${state.landed.commit}; write your handoff.`,
          details: state.landed,
        };
      }
      const outcome = await options.lander.land({
        worktree: { path: options.worktreePath },
        task: options.task,
        message: input.message,
        runChecks: options.runChecks,
        signal: context.signal,
      });
      switch (outcome.type) {
        case 'landed':
          state.landed = { commit: outcome.commit, source: 'push' };
          return {
            output: `landed as ${outcome.commit} after ${outcome.attempts} attempt(s); files: ${outcome.files.join(', ')}. Now write your handoff.`,
            details: outcome,
          };
        case 'already-landed':
          state.landed = { commit: outcome.commit, source: outcome.source };
          return {
            output: `this task already landed as ${outcome.commit} (an earlier attempt); nothing was pushed again. Write your handoff.`,
            details: outcome,
          };
        case 'conflict':
          state.conflicts++;
          return {
            output: `${conflictFilesPrefix}${outcome.report.files.map((file) => file.path).join(', ')}\n\n${formatConflictReport(outcome.report)}`,
            details: outcome,
          };
        case 'stale-fence':
          throw new FatalToolError(
            `your lease on ${options.task.taskId} was lost (${outcome.message}); stop working on it${outcome.pushed ? ' — the push had already gone through' : ''}`,
          );
        case 'nothing-to-land':
          throw new ToolError('nothing to land: the worktree has no changes against the shared branch');
        case 'unresolved-conflict':
          throw new ToolError(
            `${conflictFilesPrefix}${outcome.files.join(', ')}\nthese files still hold conflict markers (<<<<<<< ======= >>>>>>>); resolve them, then land again`,
          );
        case 'checks-failed':
          throw new ToolError(
            `the project's checks failed; fix them and land again:\n${JSON.stringify(outcome.checks)}`,
          );
        case 'push-refused':
          throw new ToolError(`the hub refused the push: ${outcome.reason}`);
        case 'gave-up':
          throw new ToolError(
            `the shared branch was too busy (${outcome.attempts} attempts); call land again`,
          );
      }
    },
  });
  return { tool, state };
}
