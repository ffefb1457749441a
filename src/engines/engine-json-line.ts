import type { z } from 'zod';

/**
 * One line of an engine's JSON stream read with `schema`, or null when it is not JSON or not a line
 * the schema knows: every parser turns such a line into a notice rather than failing the run.
 */
export function readJsonLine<T>(text: string, schema: z.ZodType<T>): T | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
