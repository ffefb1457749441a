import type { SimulationPlan } from '../../sim/simulation-plan.ts';
import type { Sample } from '../../suite.ts';
import type { Business } from './generate-world.ts';
import { fictitiousProductCodes, lookBackStartYear } from './world-catalog.ts';

/** How a sample's answer is graded. */
export type UnderwritingGrading = 'normalized' | 'set' | 'numeric' | 'decision';

/** A query the SQL tool rejects: the oracle's injected tool error. */
export const malformedCall = { name: 'sql_query', input: { sql: 'SELEC * FROM businesses' } };
/** A wrong appetite for each right one. */
export const otherAppetite = { in: 'refer', refer: 'out', out: 'in' } as const;

/** Builds a piece of a sample or plan (see underwriting-samples.ts). */
export function businessQuery(business: Business) {
  return { name: 'sql_query', input: { sql: `SELECT * FROM businesses WHERE id = '${business.id}'` } };
}
/** Builds a piece of a sample or plan (see underwriting-samples.ts). */
export function claimsQuery(business: Business) {
  return {
    name: 'sql_query',
    input: {
      sql: `SELECT * FROM claims WHERE business_id = '${business.id}' AND year >= ${lookBackStartYear}`,
    },
  };
}
/** Builds a piece of a sample or plan (see underwriting-samples.ts). */
export function guideline(topic: string) {
  return { name: 'lookup_guideline', input: { topic } };
}

/** Builds a piece of a sample or plan (see underwriting-samples.ts). */
export function planOf(
  calls: SimulationPlan['calls'],
  answer: string,
  wrongAnswer: string,
  extra: Partial<SimulationPlan> = {},
): SimulationPlan {
  return {
    questions: [],
    calls,
    wrongCalls: null,
    malformedCall,
    answer,
    wrongAnswer,
    hallucinatedAnswer: `${wrongAnswer} (and quote product ${fictitiousProductCodes[0]})`,
    prematureText: 'I have started looking into this and will need more time before I can answer.',
    ...extra,
  };
}

/** Builds a piece of a sample or plan (see underwriting-samples.ts). */
export function sample(
  id: string,
  taskType: string,
  input: string,
  reference: string,
  grading: UnderwritingGrading,
  context: Record<string, unknown> = {},
): Sample {
  return {
    id,
    taskType,
    input: `${input}\nEnd your reply with a line "ANSWER: <your answer>".`,
    context: { grading, ...context },
    reference,
    hiddenFacts: [],
  };
}
