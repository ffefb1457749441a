import type { RunSummary } from '../metrics/model-summary.ts';
import { amount, dollars, percent } from './format-numbers.ts';

/** The run's table in markdown: one row per model, the headline metrics and the error rates. */
export function markdownTable(summary: RunSummary): string {
  const k = summary.trialsPerSample;
  const lines = [
    `# ${summary.suite} — role ${summary.role}, ${summary.sampleCount} samples × ${k} trials${summary.simulated ? ' (includes SIMULATED models)' : ''}`,
    '',
    `| model | success | pass@${k} | pass^${k} | tokens/trial | $/trial | $/success | turns | tool calls | infra errors |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...summary.models.map(
      (model) =>
        `| ${model.model} | ${percent(model.successRate)} | ${percent(model.passAtK)} | ${percent(model.passHatK)} | ${amount(model.tokensPerTrial)} | ${dollars(model.dollarsPerTrial)} | ${dollars(model.dollarsPerSuccess)} | ${amount(model.meanTurns)} | ${amount(model.meanToolCalls)} | ${model.infrastructureErrors} |`,
    ),
    '',
    '## Errors (share of scored trials)',
    '',
  ];
  const kinds = Object.keys(summary.models[0]?.errorRates ?? {});
  lines.push(`| model | ${kinds.join(' | ')} |`, `|---|${kinds.map(() => '---').join('|')}|`);
  for (const model of summary.models)
    lines.push(
      `| ${model.model} | ${kinds.map((kind) => percent(model.errorRates[kind as keyof typeof model.errorRates])).join(' | ')} |`,
    );
  lines.push('', '## End reasons', '');
  const reasons = Object.keys(summary.models[0]?.endReasons ?? {});
  lines.push(`| model | ${reasons.join(' | ')} |`, `|---|${reasons.map(() => '---').join('|')}|`);
  for (const model of summary.models)
    lines.push(
      `| ${model.model} | ${reasons.map((reason) => model.endReasons[reason as keyof typeof model.endReasons]).join(' | ')} |`,
    );
  return `${lines.join('\n')}\n`;
}
