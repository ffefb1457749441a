import { defineTool, type Tool } from '../agent/index.ts';
import { Verdict } from './verdict.ts';

/** What the judge decided, once it has. */
export interface JudgeState {
  verdict: Verdict | null;
}

/** The judge's one board tool: `submit_verdict`, validated against the Verdict schema. */
export function createJudgeTools(): { tools: Tool[]; state: JudgeState } {
  const state: JudgeState = { verdict: null };
  const submitVerdict = defineTool({
    name: 'submit_verdict',
    description:
      'Submit your decision for this cycle: continue (true/false), score (0-1), reasons (the evidence) and next_focus (what the next cycle should do first). Call it last: your session ends with it.',
    inputSchema: Verdict,
    async execute(input) {
      state.verdict = input;
      return {
        output: `verdict recorded: ${input.continue ? 'continue' : 'stop'} at score ${input.score}. Your session ends here.`,
        details: input,
      };
    },
  });
  return { tools: [submitVerdict], state };
}
