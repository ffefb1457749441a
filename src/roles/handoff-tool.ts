import { z } from 'zod';
import { defineTool, type Tool } from '../agent/index.ts';

/** What a worker leaves for the planners. */
export const Handoff = z.object({
  done: z.string().min(1).max(20_000).describe('what you did'),
  left: z.string().max(20_000).default('').describe('what is left undone, if anything'),
  noticed: z
    .string()
    .max(20_000)
    .default('')
    .describe('what a planner should know: bugs elsewhere, risks, missing tests'),
});
/** What a worker leaves for the planners. */
export type Handoff = z.infer<typeof Handoff>;

/** The handoff as the board stores it (plain text planners read with read_handoffs). */
export function formatHandoff(handoff: Handoff): string {
  const parts = [`Done: ${handoff.done}`];
  if (handoff.left.trim()) parts.push(`Left: ${handoff.left}`);
  if (handoff.noticed.trim()) parts.push(`Noticed: ${handoff.noticed}`);
  return parts.join('\n');
}

/** The worker's `handoff` tool; the orchestrator stores the text when it completes the task. */
export function createHandoffTool(): { tool: Tool; state: { handoff: Handoff | null } } {
  const state: { handoff: Handoff | null } = { handoff: null };
  const tool = defineTool({
    name: 'handoff',
    description:
      'Finish your task with a handoff: what you did, what is left and what you noticed. Call it last: your session ends with it.',
    inputSchema: Handoff,
    async execute(input) {
      state.handoff = input;
      return { output: 'handoff recorded; your session ends here.', details: input };
    },
  });
  return { tool, state };
}
