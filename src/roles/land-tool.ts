import { z } from 'zod';
import { defineTool, FatalToolError, type Tool, ToolError } from '../agent/index.ts';
import {
  formatConflictReport,
  type Lander,
  type LandOutcome,
  type TaskTrailers,
} from '../workspace/index.ts';

/** What the worker's last call to `land` achieved; a handoff is refused while it is `not-landed`. */
export type LastLanding =
  | { type: 'landed'; commit: string }
  /** Nothing pushed: the branch holds the change already (a duplicate task landed it). */
  | { type: 'already-on-branch'; tip: string }
  | { type: 'not-landed'; outcome: LandOutcome['type'] | 'error'; detail: string };

/** What the worker's landing achieved. */
export interface LandState {
  /** Set once the task's commit is on the branch; a later call cannot undo it. */
  landed: { commit: string; source: 'push' | 'board' | 'branch' } | null;
  conflicts: number;
  /** The outcome of the latest call, null before the first. */
  last: LastLanding | null;
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

/** Starts the output of a `land` whose change the branch already holds, so simulated workers can find it. */
export const alreadyOnBranchPrefix = 'nothing to land: your change is already on the shared branch';

const giveUpHint =
  'If you cannot, call handoff with gaveUp: true and a reason: your task then fails and goes back to the board.';

/**
 * The worker's `land` tool: commits the worktree with cadre's trailers, rebases on the shared
 * branch and pushes. A conflict comes back as a tool result with both sides of every hunk; the
 * worker resolves it and calls land again — there is no integrator. A lost lease ends the agent.
 */
export function createLandTool(options: LandToolOptions): { tool: Tool; state: LandState } {
  const state: LandState = { landed: null, conflicts: 0, last: null };
  const notLanded = (outcome: LandOutcome['type'] | 'error', detail: string) => {
    state.last = { type: 'not-landed', outcome, detail };
  };
  const tool = defineTool({
    name: 'land',
    description:
      'Commit your change and land it on the shared branch (fetch, rebase, push). On a conflict you get both sides of each conflicting hunk: resolve them in your worktree and call land again.',
    inputSchema: landInput,
    outputCapCharacters: 60_000,
    async execute(input, context) {
      if (state.landed) {
        state.last = { type: 'landed', commit: state.landed.commit };
        return {
          output: `already landed as ${state.landed.commit}; write your handoff.`,
          details: state.landed,
        };
      }
      let outcome: LandOutcome;
      try {
        outcome = await options.lander.land({
          worktree: { path: options.worktreePath },
          task: options.task,
          message: input.message,
          runChecks: options.runChecks,
          signal: context.signal,
        });
      } catch (error) {
        notLanded('error', (error as Error).message);
        throw error;
      }
      switch (outcome.type) {
        case 'landed':
          state.landed = { commit: outcome.commit, source: 'push' };
          state.last = { type: 'landed', commit: outcome.commit };
          return {
            output: `landed as ${outcome.commit} after ${outcome.attempts} attempt(s); files: ${outcome.files.join(', ')}. Now write your handoff.`,
            details: outcome,
          };
        case 'already-landed':
          state.landed = { commit: outcome.commit, source: outcome.source };
          state.last = { type: 'landed', commit: outcome.commit };
          return {
            output: `this task already landed as ${outcome.commit} (an earlier attempt); nothing was pushed again. Write your handoff.`,
            details: outcome,
          };
        case 'conflict':
          state.conflicts++;
          notLanded('conflict', outcome.report.files.map((file) => file.path).join(', '));
          return {
            output: `${conflictFilesPrefix}${outcome.report.files.map((file) => file.path).join(', ')}\n\n${formatConflictReport(outcome.report)}\n\nNot landed yet: resolve these conflicts in your worktree and call land again. ${giveUpHint}`,
            details: outcome,
          };
        case 'stale-fence':
          notLanded('stale-fence', outcome.message);
          throw new FatalToolError(
            `your lease on ${options.task.taskId} was lost (${outcome.message}); stop working on it${outcome.pushed ? ' — the push had already gone through' : ''}`,
          );
        case 'nothing-to-land':
          return nothingToLand(outcome);
        case 'unresolved-conflict':
          notLanded('unresolved-conflict', outcome.files.join(', '));
          throw new ToolError(
            `${conflictFilesPrefix}${outcome.files.join(', ')}\nthese files still hold conflict markers (<<<<<<< ======= >>>>>>>); resolve them, then land again`,
          );
        case 'checks-failed':
          notLanded('checks-failed', outcome.checks.type);
          throw new ToolError(
            `the project's checks failed; fix them and land again:\n${JSON.stringify(outcome.checks)}`,
          );
        case 'push-refused':
          notLanded('push-refused', outcome.reason);
          throw new ToolError(`the hub refused the push: ${outcome.reason}. ${giveUpHint}`);
        case 'gave-up':
          notLanded('gave-up', `${outcome.attempts} attempts`);
          throw new ToolError(
            `the shared branch was too busy (${outcome.attempts} attempts); call land again`,
          );
      }
    },
  });

  function nothingToLand(outcome: Extract<LandOutcome, { type: 'nothing-to-land' }>) {
    switch (outcome.reason) {
      case 'already-on-branch':
        state.last = { type: 'already-on-branch', tip: outcome.tip };
        return {
          output: `${alreadyOnBranchPrefix} (tip ${outcome.tip}): another task landed the same change, so nothing was pushed and your worktree now sits on that tip. If that is all your task asked for, call handoff saying it was already done; your task completes as already done. Otherwise make the rest of the change and call land again.`,
          details: outcome,
        };
      case 'no-changes':
        notLanded('nothing-to-land', 'no changes');
        throw new ToolError(
          `nothing to land: your worktree has no changes against the shared branch (tip ${outcome.tip}). Make the change the task asks for, then land. ${giveUpHint}`,
        );
    }
  }

  return { tool, state };
}
