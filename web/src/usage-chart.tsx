import type { UsagePoint } from '../../src/server/index.ts';
import { formatDollars, formatTime, formatTokens } from './format.ts';

const width = 560;
const height = 160;
const padding = { left: 48, right: 56, top: 12, bottom: 22 };

function linePath(
  points: readonly UsagePoint[],
  value: (point: UsagePoint) => number,
  maximum: number,
  start: number,
  span: number,
) {
  const innerWidth = width - padding.left - padding.right;
  const innerHeight = height - padding.top - padding.bottom;
  return points
    .map((point, index) => {
      const x = padding.left + ((point.at - start) / span) * innerWidth;
      const y = padding.top + innerHeight - (maximum === 0 ? 0 : (value(point) / maximum) * innerHeight);
      return `${index === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** Cumulative tokens (left axis) and dollars (right axis) over the run, one point per minute. */
export function UsageChart({ points }: { points: readonly UsagePoint[] }) {
  if (points.length === 0) return <p className="muted">no model calls yet</p>;
  // a single point still needs a span to draw against: start a minute earlier from zero
  const series =
    points.length === 1
      ? [{ at: (points[0] as UsagePoint).at - 60_000, tokens: 0, costUsd: 0 }, ...points]
      : points;
  const start = (series[0] as UsagePoint).at;
  const end = (series.at(-1) as UsagePoint).at;
  const span = Math.max(1, end - start);
  const last = series.at(-1) as UsagePoint;
  const bottom = height - padding.bottom;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="tokens and dollars over time"
    >
      <line x1={padding.left} x2={width - padding.right} y1={bottom} y2={bottom} className="axis" />
      <path d={linePath(series, (point) => point.tokens, last.tokens, start, span)} className="line-tokens" />
      <path
        d={linePath(series, (point) => point.costUsd, last.costUsd, start, span)}
        className="line-dollars"
      />
      <text x={padding.left - 4} y={padding.top + 8} textAnchor="end" className="label-tokens">
        {formatTokens(last.tokens)}
      </text>
      <text x={width - padding.right + 4} y={padding.top + 8} className="label-dollars">
        {formatDollars(last.costUsd)}
      </text>
      <text x={padding.left} y={height - 6} className="label">
        {formatTime(start)}
      </text>
      <text x={width - padding.right} y={height - 6} textAnchor="end" className="label">
        {formatTime(end)}
      </text>
    </svg>
  );
}

/** Commits landed per hour as bars. */
export function LandingsChart({ hours }: { hours: readonly { hour: number; count: number }[] }) {
  if (hours.length === 0) return <p className="muted">nothing landed yet</p>;
  const maximum = Math.max(...hours.map((hour) => hour.count));
  const barWidth = Math.min(40, (width - 20) / hours.length);
  return (
    <svg className="chart" viewBox={`0 0 ${width} 100`} role="img" aria-label="commits landed per hour">
      {hours.map((hour, index) => {
        const barHeight = (hour.count / maximum) * 64;
        return (
          <g key={hour.hour}>
            <rect
              x={10 + index * barWidth}
              y={78 - barHeight}
              width={barWidth - 4}
              height={barHeight}
              className="bar"
            />
            <text
              x={10 + index * barWidth + (barWidth - 4) / 2}
              y={74 - barHeight}
              textAnchor="middle"
              className="label"
            >
              {hour.count}
            </text>
            <text x={10 + index * barWidth + (barWidth - 4) / 2} y={94} textAnchor="middle" className="label">
              {new Date(hour.hour).getHours()}h
            </text>
          </g>
        );
      })}
    </svg>
  );
}
