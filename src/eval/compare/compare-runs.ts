import type { RunSummary } from '../metrics/model-summary.ts';
import { percent } from '../report/format-numbers.ts';
import { type BootstrapInterval, bootstrapDifference } from './bootstrap.ts';

/** One model in one run, against the same model in the first run that has it. */
export interface ComparisonRow {
  run: string;
  model: string;
  role: string;
  successRate: number;
  dollarsPerTrial: number;
  /** null for the baseline row itself. */
  versusBaseline: BootstrapInterval | null;
}

/** The same table across runs (e.g. two prompt versions) with differences and bootstrap intervals. */
export function compareRuns(runs: ReadonlyArray<{ name: string; summary: RunSummary }>): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const baselines = new Map<string, RunSummary['models'][number]>();
  for (const run of runs) {
    for (const model of run.summary.models) {
      const key = `${model.role}\n${model.model}`;
      const baseline = baselines.get(key);
      if (baseline === undefined) baselines.set(key, model);
      rows.push({
        run: run.name,
        model: model.model,
        role: model.role,
        successRate: model.successRate,
        dollarsPerTrial: model.dollarsPerTrial,
        versusBaseline: baseline === undefined ? null : bootstrapDifference(baseline.samples, model.samples),
      });
    }
  }
  return rows;
}

/** The comparison as a markdown table. */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const lines = [
    '| run | role | model | success | Δ vs first | 95% interval | exceeds noise |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const versus = row.versusBaseline;
      const delta =
        versus === null ? 'baseline' : `${versus.difference >= 0 ? '+' : ''}${percent(versus.difference)}`;
      const interval = versus === null ? '–' : `[${percent(versus.low)}, ${percent(versus.high)}]`;
      const significant = versus === null ? '–' : versus.significant ? 'yes' : 'no';
      return `| ${row.run} | ${row.role} | ${row.model} | ${percent(row.successRate)} | ${delta} | ${interval} | ${significant} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
