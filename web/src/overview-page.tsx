import type { Cycle } from '../../src/protocol/index.ts';
import type { ApiClient } from './api-client.ts';
import { ControlButtons } from './control-buttons.tsx';
import { formatDollars, formatTime, formatTokens } from './format.ts';
import { QueuePanel } from './queue-panel.tsx';
import type { RunState } from './run-store.ts';
import { SandboxLines } from './sandbox-line.tsx';
import { SetupLine } from './setup-line.tsx';
import { LandingsChart, UsageChart } from './usage-chart.tsx';

interface VerdictShape {
  continue?: boolean;
  score?: number;
  reasons?: string[];
}

function CycleRow({ cycle }: { cycle: Cycle }) {
  const verdict = cycle.verdict as VerdictShape | null;
  return (
    <li className="cycle">
      <strong>cycle {cycle.n}</strong> <span className={`status status-${cycle.status}`}>{cycle.status}</span>{' '}
      <span className="muted">from {formatTime(cycle.startedAt)}</span>
      {verdict ? (
        <div className="verdict">
          judge: <strong>{verdict.continue ? 'continue' : 'stop'}</strong>, score {verdict.score}
          {verdict.reasons?.length ? (
            <ul>
              {verdict.reasons.slice(0, 4).map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/** The run at a glance: goal, cycles and verdicts, counts, usage over time, landings per hour, the merge queue. */
export function OverviewPage({ state, api }: { state: RunState; api: ApiClient }) {
  const overview = state.overview;
  if (!overview) return <p className="muted">loading…</p>;
  const { run, liveUsage: usage } = overview;
  const current = overview.cycles.at(-1);
  return (
    <div className="overview" data-testid="overview">
      <section className="card wide">
        <h2>
          Run <code>{run.id}</code> <span className={`status status-${run.status}`}>{run.status}</span>
        </h2>
        <p className="goal">{run.goal}</p>
        <p className="muted">
          cycle {current?.n ?? '—'} · started {new Date(run.createdAt).toLocaleString()}
          {run.budgetUsd ? ` · budget ${formatDollars(run.budgetUsd)}` : ''}
        </p>
        <SandboxLines sandboxes={overview.sandboxes} />
        <SetupLine setup={overview.setup} />
        <ControlButtons api={api} path={`/api/runs/${run.id}/messages`} label="run" />
      </section>
      <section className="card">
        <h3>Tasks</h3>
        <dl className="counts" data-testid="task-counts">
          {Object.entries(overview.taskCounts).map(([status, count]) => (
            <div key={status}>
              <dt>{status}</dt>
              <dd>{count}</dd>
            </div>
          ))}
        </dl>
        <h3>Agents</h3>
        <dl className="counts">
          {Object.entries(overview.agentCounts).map(([role, byStatus]) => (
            <div key={role}>
              <dt>{role}s</dt>
              <dd>
                {Object.entries(byStatus)
                  .map(([status, count]) => `${count} ${status}`)
                  .join(', ')}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card">
        <h3>Usage</h3>
        <p>
          <span className="big">{formatTokens(usage.inputTokens + usage.outputTokens)}</span> tokens ·{' '}
          <span className="big">{formatDollars(usage.costUsd)}</span> · {usage.modelCalls} model calls
        </p>
        <p className="muted">
          input {formatTokens(usage.inputTokens)} (cached {formatTokens(usage.cachedInputTokens)}) · output{' '}
          {formatTokens(usage.outputTokens)}
        </p>
        <UsageChart points={overview.timeline} />
        <p className="legend">
          <span className="swatch swatch-tokens" /> tokens <span className="swatch swatch-dollars" /> dollars
        </p>
      </section>
      <section className="card">
        <h3>Commits landed per hour</h3>
        <LandingsChart hours={overview.landingsPerHour} />
      </section>
      <QueuePanel queue={overview.queue} />
      <section className="card wide">
        <h3>Cycles and judge verdicts</h3>
        <ul className="cycles">
          {overview.cycles.map((cycle) => (
            <CycleRow key={cycle.id} cycle={cycle} />
          ))}
        </ul>
      </section>
    </div>
  );
}
