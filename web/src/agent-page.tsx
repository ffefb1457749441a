import { useCallback, useEffect, useState } from 'react';
import type { BoardEvent } from '../../src/protocol/index.ts';
import type { AgentView, EventPage } from '../../src/server/index.ts';
import { describeActivity } from './agent-tree-page.tsx';
import type { ApiClient } from './api-client.ts';
import { ControlButtons } from './control-buttons.tsx';
import { agentTotals, formatDollars, formatTokens, preview, shortId } from './format.ts';
import { routeHref } from './hash-route.ts';
import type { RunState, RunStore } from './run-store.ts';
import { TranscriptEntry } from './transcript-entry.tsx';

const pageSize = 500;

interface PageProps {
  api: ApiClient;
  store: RunStore;
  state: RunState;
  runId: string;
  agentId: string;
}

/** One agent: state, usage, end reason, controls, and its transcript, live. */
export function AgentPage({ api, store, state, runId, agentId }: PageProps) {
  const [events, setEvents] = useState<BoardEvent[]>([]);
  const [earlierBefore, setEarlierBefore] = useState<number | null>(null);
  const [fetched, setFetched] = useState<AgentView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const agent = state.agents.get(agentId) ?? fetched;

  const merge = useCallback((incoming: readonly BoardEvent[]) => {
    setEvents((current) => {
      const bySeq = new Map(current.map((event) => [event.seq, event]));
      for (const event of incoming) bySeq.set(event.seq, event);
      return [...bySeq.values()].sort((left, right) => left.seq - right.seq);
    });
  }, []);

  useEffect(() => {
    setEvents([]);
    const controller = new AbortController();
    // live events first, so nothing that arrives while the history loads is missed
    const unsubscribe = store.onEvent((event) => {
      if (event.agentId === agentId) merge([event]);
    });
    api
      .get<AgentView>(`${base}/agents/${agentId}`, {}, controller.signal)
      .then(setFetched)
      .catch((reason: Error) => setError(reason.message));
    api
      .get<EventPage>(
        `${base}/events`,
        { agent: agentId, beforeSeq: Number.MAX_SAFE_INTEGER, limit: pageSize },
        controller.signal,
      )
      .then((page) => {
        merge(page.events);
        setEarlierBefore(page.nextBeforeSeq);
      })
      .catch((reason: Error) => {
        if (!controller.signal.aborted) setError(reason.message);
      });
    return () => {
      unsubscribe();
      controller.abort();
    };
  }, [api, store, base, agentId, merge]);

  const loadEarlier = async () => {
    if (earlierBefore === null) return;
    const page = await api.get<EventPage>(`${base}/events`, {
      agent: agentId,
      beforeSeq: earlierBefore,
      limit: pageSize,
    });
    merge(page.events);
    setEarlierBefore(page.nextBeforeSeq);
  };

  if (!agent) return <p className="muted">{error ?? 'loading…'}</p>;
  const totals = agentTotals(agent);
  const ended = [...events]
    .reverse()
    .flatMap((event) => (event.type === 'agent.agent-ended' ? [event.payload] : []))
    .at(0);
  const task = state.tasks.get(agent.taskId ?? '');
  return (
    <div className="page agent-page" data-testid="agent-page">
      <section className="card wide">
        <h2>
          <span className={`role role-${agent.role}`}>{agent.role}</span> <code>{agent.id}</code>{' '}
          <span className={`status status-${agent.status}`} data-testid="agent-status">
            {agent.status}
          </span>
        </h2>
        <p>
          model <code>{agent.model}</code> · {describeActivity(agent.activity) || 'idle'} · parent{' '}
          {agent.parentId ? (
            <a href={routeHref({ type: 'agent', agentId: agent.parentId })}>{shortId(agent.parentId)}</a>
          ) : (
            '—'
          )}
        </p>
        <p>task: {task ? task.title : (agent.taskId ?? '—')}</p>
        <p>
          {totals.steps} steps · {formatTokens(totals.tokens)} tokens · {formatDollars(totals.costUsd)}
        </p>
        {ended ? <p data-testid="end-reason">end reason: {preview(ended.reason, 300)}</p> : null}
        <ControlButtons api={api} path={`${base}/agents/${agent.id}/messages`} label="agent" />
        <p>
          <a href={routeHref({ type: 'events', agentId: agent.id })}>all events of this agent</a>
        </p>
      </section>
      <section className="card wide">
        <h3>Transcript ({events.length})</h3>
        {earlierBefore !== null ? (
          <button type="button" onClick={() => void loadEarlier()}>
            load earlier
          </button>
        ) : null}
        <ol className="transcript" data-testid="transcript">
          {events.map((event) => (
            <TranscriptEntry key={event.seq} event={event} />
          ))}
        </ol>
      </section>
    </div>
  );
}
