import { z } from 'zod';

/**
 * The injected behaviour of an oracle sim agent, each a probability per trial. `accuracy` is the overall
 * success rate, so it must fit inside the trials that neither stop early nor hallucinate.
 */
export const OracleRates = z
  .strictObject({
    accuracy: z.number().min(0).max(1),
    toolError: z.number().min(0).max(1),
    hallucination: z.number().min(0).max(1),
    prematureStop: z.number().min(0).max(1),
  })
  .refine((rates) => rates.accuracy <= (1 - rates.prematureStop) * (1 - rates.hallucination) + 1e-9, {
    message: 'accuracy must be at most (1 - prematureStop) * (1 - hallucination)',
  });
/** The injected behaviour of an oracle sim agent. */
export type OracleRates = z.infer<typeof OracleRates>;

/** The outcome drawn for one trial. */
export type OracleOutcome = 'correct' | 'wrong' | 'hallucinated' | 'premature';

/** Murmur3's finalizer: a strong 32-bit mix, so draws derived from one seed are independent in practice. */
function mix32(value: number): number {
  let hash = value >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * Draws one trial's outcome and whether it makes a tool error. Only one number is taken from the sim's
 * random source; the four decisions are derived from it by hashing, because consecutive outputs of a
 * small generator seeded from similar conversations showed correlations that biased the rates.
 */
export function drawOracleOutcome(
  rates: OracleRates,
  source: () => number,
): { outcome: OracleOutcome; toolError: boolean } {
  const base = Math.floor(source() * 4294967296);
  let index = 0;
  const random = () => mix32(mix32(base + Math.imul(++index, 0x9e3779b9))) / 4294967296;
  const toolError = random() < rates.toolError;
  if (random() < rates.prematureStop) return { outcome: 'premature', toolError };
  if (random() < rates.hallucination) return { outcome: 'hallucinated', toolError };
  // Conditional on neither, succeed with the probability that makes the overall rate `accuracy`.
  const remaining = (1 - rates.prematureStop) * (1 - rates.hallucination);
  const conditional = remaining === 0 ? 0 : rates.accuracy / remaining;
  return { outcome: random() < conditional ? 'correct' : 'wrong', toolError };
}
