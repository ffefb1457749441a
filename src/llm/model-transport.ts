import type { ModelTransport } from '../protocol/index.ts';
import { parseModelId } from './model-id.ts';

/** Where a model's transport came from, so listings can tell a configured choice from the default. */
export type TransportSource = { type: 'config'; key: string } | { type: 'default' };

/** The transport of one model id, and where it came from. */
export interface EffectiveTransport {
  transport: ModelTransport;
  source: TransportSource;
}

/**
 * The transport of one model id: `transport` in the config by exact id, then by `<provider>:*` (the
 * provider part must match exactly, as for limits), else `stream`. Throws on a malformed model id.
 */
export function transportFor(
  config: { transport: Readonly<Record<string, ModelTransport>> },
  modelId: string,
): EffectiveTransport {
  const parsed = parseModelId(modelId);
  for (const key of [parsed.id, `${parsed.type}:*`]) {
    const transport = Object.hasOwn(config.transport, key) ? config.transport[key] : undefined;
    if (transport !== undefined) return { transport, source: { type: 'config', key } };
  }
  return { transport: 'stream', source: { type: 'default' } };
}
