import { z } from 'zod';
import { ModelsConfig } from '../protocol/index.ts';

/** Validates a models config (from a file or a run's config) and explains every problem in one message. */
export function parseModelsConfig(value: unknown): ModelsConfig {
  const result = ModelsConfig.safeParse(value ?? {});
  if (!result.success) throw new Error(`invalid models config:\n${z.prettifyError(result.error)}`);
  return result.data;
}
