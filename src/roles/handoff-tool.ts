import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';

/** What a worker leaves for the planners. */
export const Handoff = z
  .object({
    done: z.string().min(1).max(20_000).describe('what you did'),
    left: z.string().max(20_000).default('').describe('what is left undone, if anything'),
    noticed: z
      .string()
      .max(20_000)
      .default('')
      .describe('what a planner should know: bugs elsewhere, risks, missing tests'),
    gaveUp: z
      .boolean()
      .default(false)
      .describe('true when you could not land the task: it fails and goes back to the board'),
    reason: z
      .string()
      .max(20_000)
      .default('')
      .describe('with gaveUp: why the task could not be finished, for whoever tries it next'),
  })
  .refine((handoff) => !handoff.gaveUp || handoff.reason.trim().length > 0, {
    message: 'giving up needs a reason: say why the task could not be finished',
    path: ['reason'],
  });
/** What a worker leaves for the planners. */
export type Handoff = z.infer<typeof Handoff>;

/** The handoff as the board stores it (plain text planners read with read_handoffs). */
export function formatHandoff(handoff: Handoff): string {
  const parts = handoff.gaveUp
    ? [`Gave up: ${handoff.reason}`, `Done: ${handoff.done}`]
    : [`Done: ${handoff.done}`];
  if (handoff.left.trim()) parts.push(`Left: ${handoff.left}`);
  if (handoff.noticed.trim()) parts.push(`Noticed: ${handoff.noticed}`);
  return parts.join('\n');
}

/** Options of the handoff tool. */
export interface HandoffToolOptions {
  /**
   * Asked before a handoff that does not give up is accepted: a refusal for the model (what to do
   * instead), or null to accept. A worker's session refuses while its last `land` did not land.
   */
  refusal?: (handoff: Handoff) => string | null;
}

/** The worker's `handoff` tool; the orchestrator stores the text when it settles the task. */
export function createHandoffTool(options: HandoffToolOptions = {}): {
  tool: Tool;
  state: { handoff: Handoff | null };
} {
  const state: { handoff: Handoff | null } = { handoff: null };
  const tool = defineTool({
    name: 'handoff',
    description:
      'Finish your task with a handoff: what you did, what is left and what you noticed. Call it last, after your change landed: your session ends with it. If you cannot land the task, call it with gaveUp: true and a reason.',
    inputSchema: Handoff,
    async execute(input) {
      const refusal = input.gaveUp ? null : (options.refusal?.(input) ?? null);
      if (refusal !== null) throw new ToolError(`handoff refused: ${refusal}`);
      state.handoff = input;
      return {
        output: input.gaveUp
          ? 'handoff recorded: you gave up, so your task fails and goes back to the board; your session ends here.'
          : 'handoff recorded; your session ends here.',
        details: input,
      };
    },
  });
  return { tool, state };
}
