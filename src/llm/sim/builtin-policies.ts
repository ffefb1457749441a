import type { Random } from './seeded-random.ts';
import { lastInputText, type SimPolicy } from './sim-policy.ts';

/** A value that fits a JSON schema well enough for a simulated call: required fields only, simple values. */
export function placeholderInput(schema: Record<string, unknown>, random: Random): unknown {
  const enumValues = schema.enum;
  if (Array.isArray(enumValues) && enumValues.length > 0) {
    return enumValues[Math.floor(random() * enumValues.length)];
  }
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const value: Record<string, unknown> = {};
      for (const key of required) {
        const property = properties[key];
        if (property !== undefined) value[key] = placeholderInput(property, random);
      }
      return value;
    }
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      return 'simulated';
    default:
      return null;
  }
}

/** Answers every turn by quoting its last input; never calls tools. */
export const echoPolicy: SimPolicy = {
  name: 'echo',
  description: 'replies with a quote of the last input, never calls tools',
  respond(context) {
    const input = lastInputText(context.messages).slice(0, 200);
    return { type: 'text', text: `Received ${input.length} characters: "${input}"` };
  },
};

/** Ends at once with a short statement, for tests of the paths around the model. */
export const finishPolicy: SimPolicy = {
  name: 'finish',
  description: 'ends every conversation at once',
  respond() {
    return { type: 'text', text: 'Done; this simulated model takes no actions.' };
  },
};

/**
 * Calls one or two randomly chosen tools with placeholder inputs for a few steps, then stops; exercises
 * the tool-calling loop, including parallel calls, without claiming to solve anything.
 */
export const randomToolsPolicy: SimPolicy = {
  name: 'random-tools',
  description: 'calls random tools with placeholder inputs for three steps, then stops',
  respond(context) {
    if (context.tools.length === 0 || context.step >= 3) {
      return { type: 'text', text: `Stopping after ${context.step} simulated tool steps.` };
    }
    const count = context.tools.length > 1 && context.random() < 0.3 ? 2 : 1;
    const toolCalls = Array.from({ length: count }, () => {
      const tool = context.tools[Math.floor(context.random() * context.tools.length)]!;
      return { name: tool.name, input: placeholderInput(tool.inputSchema, context.random) };
    });
    return {
      type: 'tool-calls',
      text: `Trying ${toolCalls.map((call) => call.name).join(' and ')}.`,
      toolCalls,
    };
  },
};

/** The policies every sim model knows, by name; callers add role policies next to these. */
export function createSimPolicyRegistry(extra: readonly SimPolicy[] = []): Map<string, SimPolicy> {
  const registry = new Map<string, SimPolicy>();
  for (const policy of [echoPolicy, finishPolicy, randomToolsPolicy, ...extra])
    registry.set(policy.name, policy);
  return registry;
}
