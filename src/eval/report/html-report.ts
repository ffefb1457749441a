import type { RunSummary } from '../metrics/model-summary.ts';
import { dollars, percent } from './format-numbers.ts';
import { markdownTable } from './markdown-table.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A cost-vs-success scatter as inline SVG: dollars per trial across, success rate up, one dot per model. */
export function costSuccessChart(summary: RunSummary): string {
  const width = 560;
  const height = 320;
  const margin = 50;
  const maxCost = Math.max(1e-6, ...summary.models.map((model) => model.dollarsPerTrial)) * 1.1;
  const x = (cost: number) => margin + (cost / maxCost) * (width - 2 * margin);
  const y = (rate: number) => height - margin - rate * (height - 2 * margin);
  const dots = summary.models
    .map(
      (model) =>
        `<circle cx="${x(model.dollarsPerTrial).toFixed(1)}" cy="${y(model.successRate).toFixed(1)}" r="6" fill="#3b6ea5"><title>${escapeHtml(model.model)}: ${percent(model.successRate)} at ${dollars(model.dollarsPerTrial)}/trial</title></circle>` +
        `<text x="${(x(model.dollarsPerTrial) + 9).toFixed(1)}" y="${(y(model.successRate) + 4).toFixed(1)}" font-size="12">${escapeHtml(model.model)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="cost versus success">
<line x1="${margin}" y1="${height - margin}" x2="${width - margin}" y2="${height - margin}" stroke="#333"/>
<line x1="${margin}" y1="${margin}" x2="${margin}" y2="${height - margin}" stroke="#333"/>
<text x="${width / 2}" y="${height - 12}" text-anchor="middle" font-size="12">dollars per trial (max ${dollars(maxCost)})</text>
<text x="14" y="${height / 2}" transform="rotate(-90 14 ${height / 2})" text-anchor="middle" font-size="12">success rate</text>
<text x="${margin - 6}" y="${y(1) + 4}" text-anchor="end" font-size="10">100%</text>
<text x="${margin - 6}" y="${y(0) + 4}" text-anchor="end" font-size="10">0%</text>
${dots}
</svg>`;
}

/** A self-contained HTML report: the chart and the markdown tables as preformatted text. */
export function htmlReport(summary: RunSummary): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cadre eval: ${escapeHtml(summary.suite)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}pre{background:#f6f6f6;padding:1rem;overflow:auto}</style></head>
<body><h1>cadre eval: ${escapeHtml(summary.suite)} (role ${escapeHtml(summary.role)})</h1>
${summary.simulated ? '<p><strong>Includes SIMULATED models: their numbers show the lab working, not model quality.</strong></p>' : ''}
<h2>Cost vs success</h2>
${costSuccessChart(summary)}
<h2>Tables</h2>
<pre>${escapeHtml(markdownTable(summary))}</pre>
</body></html>
`;
}
