import {
  type CredentialProblem,
  checkCredentials,
  createPriceTable,
  describeKeys,
  type EffectiveModelLimits,
  type EffectiveTransport,
  type KeyStatus,
  type LimitSource,
  modelLimitsFor,
  type PriceLookup,
  priceListCheckedAt,
  transportFor,
} from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/index.ts';

/** Everything `cadre models` shows: chains with prices, key presence and problems. Never holds a key. */
export interface ModelsReport {
  roles: Array<{
    role: string;
    chain: Array<{
      modelId: string;
      price: PriceLookup;
      limits: EffectiveModelLimits;
      transport: EffectiveTransport;
    }>;
  }>;
  keys: KeyStatus[];
  problems: CredentialProblem[];
  priceListCheckedAt: string;
}

/** Builds the report for a config and environment. */
export function describeModels(config: ModelsConfig, env: NodeJS.ProcessEnv): ModelsReport {
  const prices = createPriceTable(config.pricing);
  return {
    roles: Object.entries(config.roles).map(([role, chain]) => ({
      role,
      chain: chain.map((modelId) => ({
        modelId,
        price: prices.lookup(modelId),
        limits: modelLimitsFor(config, modelId),
        transport: transportFor(config, modelId),
      })),
    })),
    keys: describeKeys(config, env),
    problems: checkCredentials(config, env),
    priceListCheckedAt,
  };
}

function formatPrice(lookup: PriceLookup): string {
  switch (lookup.type) {
    case 'unknown':
      return 'price unknown';
    case 'priced': {
      if (lookup.source === 'free') return 'free';
      const { input, output, cachedInput } = lookup.price;
      const cached = cachedInput === undefined ? '' : `, $${cachedInput} cached`;
      return `$${input} in${cached}, $${output} out per 1M tokens (${lookup.source})`;
    }
  }
}

function formatTokens(tokens: number): string {
  return tokens >= 10_000 ? `${Math.round(tokens / 1_000)}k` : String(tokens);
}

function sourceLabel(source: LimitSource): string {
  switch (source.type) {
    case 'config':
      return `config ${source.key}`;
    case 'known':
      return 'built-in';
    case 'provider-default':
      return `default for ${source.provider}`;
  }
}

function formatLimits(limits: EffectiveModelLimits): string {
  const window = sourceLabel(limits.sources.contextWindowTokens);
  const output = sourceLabel(limits.sources.maxOutputTokens);
  const windowText = `${formatTokens(limits.contextWindowTokens)} window`;
  const outputText = `${formatTokens(limits.maxOutputTokens)} out`;
  return window === output
    ? `${windowText}, ${outputText} (${window})`
    : `${windowText} (${window}), ${outputText} (${output})`;
}

/** Nothing for the usual streaming; a model configured not to stream says so, and which key said it. */
function formatTransport({ transport, source }: EffectiveTransport): string {
  if (source.type === 'default') return '';
  return transport === 'generate'
    ? `; no streaming (config ${source.key})`
    : `; streaming (config ${source.key})`;
}

/** Renders the report for people. */
export function formatModelsReport(report: ModelsReport): string {
  const lines: string[] = [];
  if (report.roles.length === 0) {
    lines.push(
      'No roles are configured. Add "roles" to the models config, e.g. { "worker": ["openai:gpt-5.2"] }.',
    );
  } else {
    lines.push('Roles (first model preferred, the rest are fallbacks):');
    for (const { role, chain } of report.roles) {
      lines.push(`  ${role}`);
      chain.forEach(({ modelId, price, limits, transport }, index) => {
        const described = `${formatPrice(price)}; ${formatLimits(limits)}${formatTransport(transport)}`;
        lines.push(`    ${index + 1}. ${modelId}  ${described}`);
      });
    }
  }
  lines.push('', 'Environment:');
  const width = Math.max(0, ...report.keys.map((key) => key.variable.length));
  for (const key of report.keys)
    lines.push(`  ${key.variable.padEnd(width)}  ${key.present ? 'set' : 'not set'}`);
  if (report.problems.length > 0) {
    lines.push('', 'Problems:');
    for (const problem of report.problems) lines.push(`  ${problem.role}: ${problem.message}`);
  }
  lines.push(
    '',
    `List prices checked ${report.priceListCheckedAt}; override them with "pricing" in the models config.`,
  );
  return `${lines.join('\n')}\n`;
}
