import type { Model, ModelMessage, ModelUsage } from '../../llm/index.ts';
import { addUsage, emptyUsage } from '../../llm/index.ts';
import type { HiddenFact, UserCost } from '../suite.ts';

/** The person the agent talks to during a trial; it holds facts back until asked about them. */
export interface SimulatedUser {
  /** Answers one question from the agent. */
  answer(question: string, signal: AbortSignal): Promise<string>;
  /** Keys of the facts revealed so far. */
  revealed(): ReadonlySet<string>;
  /** What the user's own model calls cost, counted apart from the agent's. */
  cost(): UserCost;
}

/** Options of createScriptedUser. */
export interface ScriptedUserOptions {
  persona: string;
  facts: readonly HiddenFact[];
}

/**
 * A rule-following user: a fact is revealed only when the question mentions one of its keywords (whole
 * words, any case); anything else gets a polite "I don't know". Costs nothing.
 */
export function createScriptedUser(options: ScriptedUserOptions): SimulatedUser {
  const revealed = new Set<string>();
  return {
    async answer(question) {
      const words = new Set(question.toLowerCase().match(/[a-z0-9]+/g) ?? []);
      const asked = options.facts.filter((fact) =>
        fact.keywords.some((keyword) =>
          keyword
            .toLowerCase()
            .split(/\s+/)
            .every((part) => words.has(part)),
        ),
      );
      if (asked.length === 0)
        return `(${options.persona}) I don't know anything about that; could you ask more specifically?`;
      for (const fact of asked) revealed.add(fact.key);
      return `(${options.persona}) ${asked.map((fact) => fact.value).join(' ')}`;
    },
    revealed: () => revealed,
    cost: () => ({ usage: emptyUsage(), costUsd: 0 }),
  };
}

/** Options of createModelUser. */
export interface ModelUserOptions {
  model: Model;
  persona: string;
  facts: readonly HiddenFact[];
  costOf?: (modelId: string, usage: ModelUsage) => number | null;
}

/**
 * A user played by a model that is told the facts and told to reveal each only when asked. The model's
 * replies are checked against the facts so `revealed` reflects what it actually said.
 */
export function createModelUser(options: ModelUserOptions): SimulatedUser {
  const revealed = new Set<string>();
  const history: ModelMessage[] = [];
  let usage = emptyUsage();
  let costUsd = 0;
  const system =
    `You play ${options.persona}, talking to an assistant. You know these facts:\n` +
    options.facts.map((fact) => `- ${fact.key}: ${fact.value}`).join('\n') +
    '\nReveal a fact only when the assistant asks about it directly; never volunteer facts. Answer briefly.';
  return {
    async answer(question, signal) {
      history.push({ role: 'user', content: question });
      const response = await options.model.generate(
        { system, messages: history, toolChoice: 'none' },
        { signal },
      );
      history.push({ role: 'assistant', content: response.text, toolCalls: [] });
      usage = addUsage(usage, response.usage);
      costUsd += options.costOf?.(response.modelId, response.usage) ?? 0;
      for (const fact of options.facts) if (response.text.includes(fact.value)) revealed.add(fact.key);
      return response.text;
    },
    revealed: () => revealed,
    cost: () => ({ usage, costUsd }),
  };
}
