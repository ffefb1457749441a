import { defineTool, type Tool } from '../agent/index.ts';
import { Verdict } from './verdict.ts';
import { createWaitForChangesTool, type WaitForChangesOptions } from './wait-for-changes-tool.ts';

/** What the judge decided, once it has. */
export interface JudgeState {
  verdict: Verdict | null;
}

/** What the judge's wait_for_changes watches: the whole cycle it judges, and its own inbox. */
export type JudgeWaitOptions = Pick<
  WaitForChangesOptions,
  'board' | 'runId' | 'cycleId' | 'agentId' | 'ownTaskId' | 'afterSeq' | 'clock' | 'sleep' | 'signal'
>;

/**
 * The judge's board tools: `submit_verdict`, validated against the Verdict schema, and — given what
 * to watch — `wait_for_changes`, for a judge told to wait (by a steer) for work still settling.
 */
export function createJudgeTools(wait?: JudgeWaitOptions): { tools: Tool[]; state: JudgeState } {
  const state: JudgeState = { verdict: null };
  const submitVerdict = defineTool({
    name: 'submit_verdict',
    description:
      'Submit your decision for this cycle and end your session. continue: true to run another cycle with fresh agents, false to stop the run. score: 0 to 1, how much of the goal is achieved. reasons: the evidence, one string per point (at least one). next_focus: what the next cycle should do first, one string per point (may be empty when stopping).',
    inputSchema: Verdict,
    async execute(input) {
      state.verdict = input;
      return {
        output: `verdict recorded: ${input.continue ? 'continue' : 'stop'} at score ${input.score}. Your session ends here.`,
        details: input,
      };
    },
  });
  const tools: Tool[] = [submitVerdict];
  // the judge judges the whole cycle: its scope is the repository
  if (wait) tools.push(createWaitForChangesTool({ ...wait, scope: [] }));
  return { tools, state };
}
