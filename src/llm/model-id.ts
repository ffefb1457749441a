import { z } from 'zod';

/** The wire protocols (and the simulator) a model id can name. */
export const ModelProviderType = z.enum(['openai', 'openai-chat', 'anthropic', 'openai-compatible', 'sim']);
/** The wire protocols (and the simulator) a model id can name. */
export type ModelProviderType = z.infer<typeof ModelProviderType>;

/** A parsed model id: `type` is the provider part, `name` the model, server or policy name. */
export interface ParsedModelId {
  type: ModelProviderType;
  name: string;
  id: string;
}

const ParsedModelIdSchema = z
  .string()
  .trim()
  .check((context) => {
    const value = context.value;
    const colon = value.indexOf(':');
    if (colon <= 0) {
      context.issues.push({
        code: 'custom',
        input: value,
        message: `"${value}" is not a model id: write <provider>:<model>, with provider one of ${ModelProviderType.options.join(', ')}`,
      });
      return;
    }
    const provider = value.slice(0, colon);
    if (!ModelProviderType.safeParse(provider).success) {
      context.issues.push({
        code: 'custom',
        input: value,
        message: `unknown provider "${provider}" in model id "${value}"; known providers: ${ModelProviderType.options.join(', ')}`,
      });
    }
    if (!/^\S+$/.test(value.slice(colon + 1))) {
      context.issues.push({
        code: 'custom',
        input: value,
        message: `model id "${value}" needs a model name after the colon, without spaces`,
      });
    }
  })
  .transform((value): ParsedModelId => {
    const colon = value.indexOf(':');
    return { type: ModelProviderType.parse(value.slice(0, colon)), name: value.slice(colon + 1), id: value };
  });

/** Parses a model id like `anthropic:claude-opus-4-5`; throws an Error with a readable message when it is bad. */
export function parseModelId(id: string): ParsedModelId {
  const result = ParsedModelIdSchema.safeParse(id);
  if (!result.success) throw new Error(result.error.issues.map((issue) => issue.message).join('; '));
  return result.data;
}
