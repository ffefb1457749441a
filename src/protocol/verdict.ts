import { z } from 'zod';

/** The judge's structured decision at the end of a cycle. */
export const Verdict = z.object({
  continue: z.boolean().describe('true when another cycle with fresh agents should run'),
  score: z.number().min(0).max(1).describe('how much of the goal is achieved, from 0 to 1'),
  reasons: z.array(z.string().min(1).max(2000)).min(1).max(50).describe('the evidence, one point each'),
  next_focus: z
    .array(z.string().min(1).max(2000))
    .max(20)
    .default([])
    .describe('what the next cycle should concentrate on, most important first'),
});
/** The judge's structured decision at the end of a cycle. */
export type Verdict = z.infer<typeof Verdict>;
