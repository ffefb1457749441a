import type { CoordinationReport } from './coordination-lab.ts';
import type { CoordinationRow } from './coordination-metrics.ts';
import { type PanelSize, sweepPanel } from './coordination-sweep-chart.ts';
import type { StrategyName } from './strategies/coordination-settings.ts';

/** The size of one panel of the lab's chart. */
const panel: PanelSize = { width: 640, height: 400, margin: { left: 60, right: 150, top: 30, bottom: 50 } };

const colors: Record<StrategyName, string> = {
  'flat-lock': '#d62728',
  'flat-occ': '#ff7f0e',
  hierarchical: '#1f77b4',
};

/** Efficiency against agent count (log scale), one line per strategy. */
function strategiesPanel(rows: readonly CoordinationRow[]): string[] {
  const { width, height, margin } = panel;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const agentCounts = rows.map((row) => row.agents);
  const low = Math.log10(Math.min(...agentCounts, 1));
  const high = Math.log10(Math.max(...agentCounts, 10));
  const x = (agents: number) => margin.left + ((Math.log10(agents) - low) / (high - low || 1)) * plotWidth;
  const y = (efficiency: number) => margin.top + (1 - Math.min(1, Math.max(0, efficiency))) * plotHeight;
  const parts: string[] = [
    `<text x="${margin.left}" y="18" font-size="14">efficiency (task work / agent time) against agents</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`,
    );
  }
  for (const agents of [...new Set(agentCounts)].sort((a, b) => a - b)) {
    parts.push(
      `<text x="${x(agents)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${agents}</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">agents (log scale)</text>`,
    `<text x="16" y="${margin.top + plotHeight / 2}" transform="rotate(-90 16 ${margin.top + plotHeight / 2})" text-anchor="middle">efficiency</text>`,
  );
  const strategies = [...new Set(rows.map((row) => row.strategy))];
  strategies.forEach((strategy, index) => {
    const points = rows
      .filter((row) => row.strategy === strategy)
      .sort((a, b) => a.agents - b.agents)
      .map((row) => [x(row.agents), y(row.efficiency)] as const);
    const color = colors[strategy];
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>`,
      ...points.map(
        ([px, py]) => `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${color}"/>`,
      ),
      `<line x1="${width - margin.right + 15}" x2="${width - margin.right + 35}" y1="${margin.top + 10 + index * 20}" y2="${margin.top + 10 + index * 20}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${width - margin.right + 40}" y="${margin.top + 14 + index * 20}">${strategy}</text>`,
    );
  });
  return parts;
}

/**
 * The lab's chart as one standalone SVG: the strategies' efficiency against agents on top and,
 * when the sweep ran, flat-lock's effective agents against work steps (measured and model) below.
 */
export function coordinationChart(report: CoordinationReport): string {
  const panels = [strategiesPanel(report.rows)];
  if (report.sweep !== null && report.sweep.length > 0) panels.push(sweepPanel(report.sweep, panel));
  const height = panel.height * panels.length + 20;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${panel.width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${panel.width}" height="${height}" fill="white"/>`,
    ...panels.map(
      (elements, index) =>
        `<g transform="translate(0 ${index * panel.height})">\n${elements.join('\n')}\n</g>`,
    ),
    `<text x="${panel.width - 8}" y="${height - 6}" text-anchor="end" fill="#666">cadre bench coordination (simulated agents), latency ${report.settings.cell.latencyMs} ms, cut at ${report.settings.cell.maxWallSeconds} s</text>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
