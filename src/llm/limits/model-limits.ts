import type { ModelLimits as ConfiguredLimits } from '../../protocol/index.ts';
import { type ModelProviderType, parseModelId } from '../model-id.ts';
import { resolveRoleChain } from '../role-chain.ts';
import { knownLimits, providerDefaultLimits, type TokenLimits } from './known-limits.ts';

/** Where one limit came from, so listings can tell a configured number from a built-in assumption. */
export type LimitSource =
  | { type: 'config'; key: string }
  | { type: 'known'; name: string }
  | { type: 'provider-default'; provider: ModelProviderType };

/** The limits that apply to one model id, each with where it came from. */
export interface EffectiveModelLimits extends TokenLimits {
  modelId: string;
  sources: { contextWindowTokens: LimitSource; maxOutputTokens: LimitSource };
}

/** The limits a role's requests must fit: the smallest window and output cap of its chain. */
export interface RoleLimits extends TokenLimits {
  role: string;
  /** Each model of the chain, in chain order. */
  models: EffectiveModelLimits[];
}

/** The parts of a models config that limits are read from. */
export interface LimitsConfig {
  roles: Readonly<Record<string, readonly string[]>>;
  limits: Readonly<Record<string, ConfiguredLimits>>;
}

interface Layer {
  limits: Partial<TokenLimits>;
  source: LimitSource;
}

function ownEntry(table: Readonly<Record<string, ConfiguredLimits>>, key: string): Layer[] {
  if (!Object.hasOwn(table, key)) return [];
  const entry = table[key] ?? {};
  return [{ limits: entry, source: { type: 'config', key } }];
}

/** The entry of the longest key that is the name itself or a prefix of it followed by `-`. */
function knownEntry(name: string): Layer[] {
  const keys = Object.keys(knownLimits)
    .filter((key) => name === key || name.startsWith(`${key}-`))
    .sort((left, right) => right.length - left.length);
  const key = keys[0];
  const limits = key === undefined ? undefined : knownLimits[key];
  return key === undefined || limits === undefined ? [] : [{ limits, source: { type: 'known', name: key } }];
}

function hostedKnown(type: ModelProviderType, name: string): Layer[] {
  switch (type) {
    case 'openai':
    case 'openai-chat':
    case 'anthropic':
      return knownEntry(name);
    case 'openai-compatible':
    case 'sim':
      return [];
  }
}

function pick(
  layers: Layer[],
  base: { limits: TokenLimits; source: LimitSource },
  field: keyof TokenLimits,
): { value: number; source: LimitSource } {
  for (const layer of layers) {
    const value = layer.limits[field];
    if (value !== undefined) return { value, source: layer.source };
  }
  return { value: base.limits[field], source: base.source };
}

/**
 * The limits of one model id. Each field comes from the most specific place that sets it: `limits` in the
 * config by exact id, then by `<provider>:*`, then the built-in table by model name, then the provider's
 * default. Throws on a malformed model id.
 */
export function modelLimitsFor(config: Pick<LimitsConfig, 'limits'>, modelId: string): EffectiveModelLimits {
  const parsed = parseModelId(modelId);
  const layers: Layer[] = [
    ...ownEntry(config.limits, parsed.id),
    ...ownEntry(config.limits, `${parsed.type}:*`),
    ...hostedKnown(parsed.type, parsed.name),
  ];
  const base = {
    limits: providerDefaultLimits(parsed.type),
    source: { type: 'provider-default', provider: parsed.type } as const,
  };
  const window = pick(layers, base, 'contextWindowTokens');
  const output = pick(layers, base, 'maxOutputTokens');
  return {
    modelId,
    contextWindowTokens: window.value,
    maxOutputTokens: output.value,
    sources: { contextWindowTokens: window.source, maxOutputTokens: output.source },
  };
}

/**
 * The limits a role's requests must fit, over the chain that serves it (its own or `default`): a fallback
 * may answer any request, so the smallest window and output cap win. Throws when no chain serves the role.
 */
export function roleLimitsFor(config: LimitsConfig, role: string): RoleLimits {
  const resolved = resolveRoleChain(config.roles, role);
  if (resolved.type === 'missing') throw new Error(resolved.message);
  const models = resolved.chain.map((modelId) => modelLimitsFor(config, modelId));
  return {
    role,
    contextWindowTokens: Math.min(...models.map((model) => model.contextWindowTokens)),
    maxOutputTokens: Math.min(...models.map((model) => model.maxOutputTokens)),
    models,
  };
}
