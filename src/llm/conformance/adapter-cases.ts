import { ModelsConfig, type ModelsConfigInput } from '../../protocol/index.ts';
import type { ModelUsage } from '../model.ts';
import type { FixtureName } from '../testing/fixtures.ts';
import type { WireProtocolName } from '../testing/protocol-server/protocol-server.ts';
import type { ScriptedUsage } from '../testing/protocol-server/scripted-reply.ts';

/** One real adapter as the conformance suite drives it through the protocol server. */
export interface AdapterCase {
  id: string;
  wireModel: string;
  protocol: WireProtocolName;
  /** How the key reaches the server, to check it was sent (null for keyless servers). */
  keyHeader: { name: string; value: string } | null;
  /** Whether the wire format reports reasoning tokens and cache writes. */
  reportsReasoning: boolean;
  reportsCacheWrites: boolean;
  /** Recorded-shape error bodies; `busy` is the provider's own 429 or 529 body, with its status. */
  fixtures: {
    contextOverflow: FixtureName;
    invalidKey: FixtureName;
    busy: { status: number; fixture: FixtureName };
  };
}

/** The keys the suite puts in the environment; they only ever reach the local server. */
export const testEnv = { OPENAI_API_KEY: 'test-openai-key', ANTHROPIC_API_KEY: 'test-anthropic-key' };

/** The four real adapters. */
export const adapterCases: AdapterCase[] = [
  {
    id: 'openai:gpt-5.2',
    wireModel: 'gpt-5.2',
    protocol: 'openai-responses',
    keyHeader: { name: 'authorization', value: 'Bearer test-openai-key' },
    reportsReasoning: true,
    reportsCacheWrites: false,
    fixtures: {
      contextOverflow: 'openai-context-overflow',
      invalidKey: 'openai-invalid-api-key',
      busy: { status: 429, fixture: 'openai-rate-limit' },
    },
  },
  {
    id: 'openai-chat:gpt-4.1',
    wireModel: 'gpt-4.1',
    protocol: 'openai-chat',
    keyHeader: { name: 'authorization', value: 'Bearer test-openai-key' },
    reportsReasoning: true,
    reportsCacheWrites: false,
    fixtures: {
      contextOverflow: 'openai-context-overflow',
      invalidKey: 'openai-invalid-api-key',
      busy: { status: 429, fixture: 'openai-rate-limit' },
    },
  },
  {
    id: 'anthropic:claude-sonnet-4-5',
    wireModel: 'claude-sonnet-4-5',
    protocol: 'anthropic-messages',
    keyHeader: { name: 'x-api-key', value: 'test-anthropic-key' },
    reportsReasoning: false,
    reportsCacheWrites: true,
    fixtures: {
      contextOverflow: 'anthropic-context-overflow',
      invalidKey: 'anthropic-invalid-api-key',
      busy: { status: 529, fixture: 'anthropic-overloaded' },
    },
  },
  {
    id: 'openai-compatible:local',
    wireModel: 'qwen3-coder-30b',
    protocol: 'openai-chat',
    keyHeader: null,
    reportsReasoning: true,
    reportsCacheWrites: false,
    fixtures: {
      contextOverflow: 'openai-context-overflow',
      invalidKey: 'openai-invalid-api-key',
      busy: { status: 429, fixture: 'openai-rate-limit' },
    },
  },
];

/** A models config that points every provider at the protocol server. */
export function configFor(baseURL: string, extra: Partial<ModelsConfigInput> = {}): ModelsConfig {
  return ModelsConfig.parse({
    providers: { openai: { baseURL }, anthropic: { baseURL } },
    compatible: { local: { baseURL, model: 'qwen3-coder-30b' } },
    ...extra,
  });
}

/** The usage the server reports in the usage tests. */
export const scriptedUsage: ScriptedUsage = {
  inputTokens: 1_000,
  cachedInputTokens: 400,
  cacheWriteTokens: 100,
  outputTokens: 200,
  reasoningTokens: 50,
};

/** What an adapter should make of scriptedUsage, given what its wire format can say. */
export function expectedUsage(adapter: AdapterCase): ModelUsage {
  return {
    inputTokens: 1_000,
    cachedInputTokens: 400,
    cacheWriteTokens: adapter.reportsCacheWrites ? 100 : 0,
    outputTokens: 200,
    reasoningTokens: adapter.reportsReasoning ? 50 : 0,
  };
}
