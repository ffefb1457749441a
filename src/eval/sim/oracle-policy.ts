import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { SimPolicy } from '../../llm/index.ts';
import { drawOracleOutcome, type OracleOutcome, OracleRates } from './oracle-rates.ts';
import type { SimulatedCall, SimulationPlan } from './simulation-plan.ts';

/** Options of createOraclePolicy. */
export interface OraclePolicyOptions {
  name: string;
  rates: OracleRates;
  /** Plans keyed by the sample's input text (the first user message of the trial). */
  plans: ReadonlyMap<string, SimulationPlan>;
}

function textOf(message: LanguageModelV3Prompt[number]): string {
  if (message.role === 'system') return message.content;
  if (message.role === 'tool') return '';
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function successfulToolResults(messages: LanguageModelV3Prompt): number {
  let count = 0;
  for (const message of messages) {
    if (message.role !== 'tool') continue;
    for (const part of message.content)
      if (part.type === 'tool-result' && part.output.type !== 'error-text') count += 1;
  }
  return count;
}

const markerPattern = /injected outcome=(\w+) tool-error=(yes|no)/;

/**
 * A sim agent that knows each sample's plan and errs at injected rates: it draws the trial's outcome at its
 * first step and announces it in its (labeled) text, so every later step, and anyone reading the log,
 * sees which outcome was injected. Asks the simulated user, makes the plan's calls, then answers.
 */
export function createOraclePolicy(options: OraclePolicyOptions): SimPolicy {
  const rates = OracleRates.parse(options.rates);
  return {
    name: options.name,
    description: `oracle agent with injected rates ${JSON.stringify(rates)} (simulation: it is given the answers)`,
    respond(context) {
      const firstUser = context.messages.find((message) => message.role === 'user');
      const plan = firstUser === undefined ? undefined : options.plans.get(textOf(firstUser));
      if (plan === undefined) return { type: 'text', text: 'No simulation plan for this task; stopping.' };
      const firstAssistant = context.messages.find((message) => message.role === 'assistant');
      let outcome: OracleOutcome;
      let toolError: boolean;
      let announce = '';
      const marker = firstAssistant === undefined ? null : markerPattern.exec(textOf(firstAssistant));
      if (marker === null) {
        ({ outcome, toolError } = drawOracleOutcome(rates, context.random));
        announce = `injected outcome=${outcome} tool-error=${toolError ? 'yes' : 'no'}. `;
      } else {
        outcome = marker[1] as OracleOutcome;
        toolError = marker[2] === 'yes';
      }
      if (context.step === 0 && toolError)
        return { type: 'tool-calls', text: announce, toolCalls: [plan.malformedCall] };
      const wrongPath = outcome === 'wrong' || outcome === 'hallucinated';
      const path = wrongPath && plan.wrongCalls !== null ? plan.wrongCalls : plan.calls;
      const questions: SimulatedCall[] = plan.questions.map((question) => ({
        name: 'ask_user',
        input: { question },
      }));
      const fullSequence = [...questions, ...path];
      const sequence = outcome === 'premature' ? fullSequence.slice(0, 1) : fullSequence;
      const done = successfulToolResults(context.messages);
      const next = sequence[done];
      if (next !== undefined) return { type: 'tool-calls', text: announce, toolCalls: [next] };
      return { type: 'text', text: `${announce}\n${finalText(plan, outcome)}` };
    },
  };
}

function finalText(plan: SimulationPlan, outcome: OracleOutcome): string {
  switch (outcome) {
    case 'correct':
      return `ANSWER: ${plan.answer}`;
    case 'wrong':
      return `ANSWER: ${plan.wrongAnswer}`;
    case 'hallucinated':
      return `ANSWER: ${plan.hallucinatedAnswer}`;
    case 'premature':
      return plan.prematureText;
    default:
      return assertNever(outcome);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}

/** The oracle agents `eval run --models sim:…` knows, with their injected rates. */
export const builtinOracleRates: Readonly<Record<string, OracleRates>> = {
  'oracle-strong': { accuracy: 0.85, toolError: 0.1, hallucination: 0.05, prematureStop: 0.05 },
  'oracle-weak': { accuracy: 0.45, toolError: 0.35, hallucination: 0.2, prematureStop: 0.15 },
};

/** The oracle policies for a suite's plans: the built-in ones plus any extra (calibrate adds its own). */
export function createOraclePolicies(
  plans: ReadonlyMap<string, SimulationPlan>,
  extra: Readonly<Record<string, OracleRates>> = {},
): SimPolicy[] {
  return Object.entries({ ...builtinOracleRates, ...extra }).map(([name, rates]) =>
    createOraclePolicy({ name, rates, plans }),
  );
}
