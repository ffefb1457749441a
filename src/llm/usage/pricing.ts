import type { ModelPrice } from '../../protocol/index.ts';
import type { ModelUsage } from '../model.ts';
import { parseModelId } from '../model-id.ts';
import { priceList } from './price-list.ts';

/** A price and where it came from, so listings can show whether a price is shipped, overridden or unknown. */
export type PriceLookup =
  | { type: 'priced'; price: ModelPrice; source: 'override' | 'list' | 'free' }
  | { type: 'unknown' };

/** Looks up what a model id costs. */
export interface PriceTable {
  lookup(modelId: string): PriceLookup;
}

const free: ModelPrice = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 };

function byLongestPrefix(table: Readonly<Record<string, ModelPrice>>, name: string): ModelPrice | undefined {
  const exact = table[name];
  if (exact !== undefined) return exact;
  const candidates = Object.keys(table)
    .filter((key) => name.startsWith(`${key}-`))
    .sort((left, right) => right.length - left.length);
  const best = candidates[0];
  return best === undefined ? undefined : table[best];
}

/**
 * Prices from config overrides (by full id, then by model name), then the shipped list; self-hosted
 * (`openai-compatible:`) and `sim:` models are free unless overridden.
 */
export function createPriceTable(overrides: Readonly<Record<string, ModelPrice>> = {}): PriceTable {
  return {
    lookup(modelId) {
      const parsed = parseModelId(modelId);
      const override = overrides[modelId] ?? byLongestPrefix(overrides, parsed.name);
      if (override !== undefined) return { type: 'priced', price: override, source: 'override' };
      switch (parsed.type) {
        case 'openai-compatible':
        case 'sim':
          return { type: 'priced', price: free, source: 'free' };
        case 'openai':
        case 'openai-chat':
        case 'anthropic': {
          const listed = byLongestPrefix(priceList, parsed.name);
          return listed === undefined
            ? { type: 'unknown' }
            : { type: 'priced', price: listed, source: 'list' };
        }
      }
    },
  };
}

/**
 * Dollars for one call. Cached reads and cache writes are billed at their own rates (falling back to the
 * input rate when a price gives none); reasoning tokens are already part of the output tokens.
 */
export function computeCost(usage: ModelUsage, price: ModelPrice): number {
  const uncachedInput = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const dollars =
    uncachedInput * price.input +
    usage.cachedInputTokens * (price.cachedInput ?? price.input) +
    usage.cacheWriteTokens * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  return dollars / 1_000_000;
}

/** Dollars for one call of a model, or null when its price is unknown. */
export function costOf(table: PriceTable, modelId: string, usage: ModelUsage): number | null {
  const lookup = table.lookup(modelId);
  return lookup.type === 'priced' ? computeCost(usage, lookup.price) : null;
}
