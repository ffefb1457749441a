import type { CoordinationSweepRow } from './coordination-sweep.ts';

/** A panel's size and margins, in SVG units. */
export interface PanelSize {
  width: number;
  height: number;
  margin: { left: number; right: number; top: number; bottom: number };
}

const palette = ['#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2', '#17becf'];

/**
 * flat-lock's effective agents against work steps, one colour per fault rate: measured as a solid
 * line with dots, the model as a dashed line. Where the two part, the model misses something.
 */
export function sweepPanel(rows: readonly CoordinationSweepRow[], size: PanelSize): string[] {
  const { width, height, margin } = size;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const steps = [...new Set(rows.map((row) => row.work_steps))].sort((a, b) => a - b);
  const low = steps[0] ?? 0;
  const high = steps.at(-1) ?? 1;
  const top = Math.max(1, ...rows.flatMap((row) => [row.effective_agents, row.model_effective_agents]));
  const ceiling = Math.ceil(top);
  const x = (workSteps: number) => margin.left + ((workSteps - low) / (high - low || 1)) * plotWidth;
  const y = (agents: number) => margin.top + (1 - Math.max(0, agents) / ceiling) * plotHeight;
  const parts: string[] = [
    `<text x="${margin.left}" y="18" font-size="14">flat-lock, ${rows[0]?.agents ?? 0} agents: effective agents against work steps</text>`,
  ];
  const tickStep = ceiling <= 4 ? 0.5 : Math.ceil(ceiling / 8);
  for (let tick = 0; tick <= ceiling + 1e-9; tick += tickStep) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tick}</text>`,
    );
  }
  for (const step of steps)
    parts.push(
      `<text x="${x(step).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${step}</text>`,
    );
  parts.push(
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">work steps per task (model calls of do_work)</text>`,
    `<text x="16" y="${margin.top + plotHeight / 2}" transform="rotate(-90 16 ${margin.top + plotHeight / 2})" text-anchor="middle">effective agents</text>`,
  );
  const faultRates = [...new Set(rows.map((row) => row.fault_rate))].sort((a, b) => a - b);
  faultRates.forEach((faultRate, index) => {
    const color = palette[index % palette.length];
    const line = rows
      .filter((row) => row.fault_rate === faultRate)
      .sort((a, b) => a.work_steps - b.work_steps);
    const measured = line.map(
      (row) => `${x(row.work_steps).toFixed(1)},${y(row.effective_agents).toFixed(1)}`,
    );
    const model = line.map(
      (row) => `${x(row.work_steps).toFixed(1)},${y(row.model_effective_agents).toFixed(1)}`,
    );
    const legendY = margin.top + 10 + index * 20;
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${measured.join(' ')}"/>`,
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="5 4" points="${model.join(' ')}"/>`,
      ...line.map(
        (row) =>
          `<circle cx="${x(row.work_steps).toFixed(1)}" cy="${y(row.effective_agents).toFixed(1)}" r="3.5" fill="${color}"/>`,
      ),
      `<line x1="${width - margin.right + 15}" x2="${width - margin.right + 35}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${width - margin.right + 40}" y="${legendY + 4}">faults ${faultRate}</text>`,
    );
  });
  const noteY = margin.top + 10 + faultRates.length * 20 + 10;
  parts.push(
    `<line x1="${width - margin.right + 15}" x2="${width - margin.right + 35}" y1="${noteY}" y2="${noteY}" stroke="#333" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    `<text x="${width - margin.right + 40}" y="${noteY + 4}">model</text>`,
  );
  return parts;
}
