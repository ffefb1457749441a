import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Run } from '../../src/protocol/index.ts';
import { AgentPage } from './agent-page.tsx';
import { AgentTreePage } from './agent-tree-page.tsx';
import { type ApiClient, createApiClient } from './api-client.ts';
import { EventFeedPage } from './event-feed-page.tsx';
import { type Route, routeHref, useRoute } from './hash-route.ts';
import { OverviewPage } from './overview-page.tsx';
import { createRunStore, type RunStore } from './run-store.ts';
import { TaskBoardPage } from './task-board-page.tsx';

const tabs: { route: Route; label: string }[] = [
  { route: { type: 'overview' }, label: 'Overview' },
  { route: { type: 'agents' }, label: 'Agents' },
  { route: { type: 'tasks' }, label: 'Tasks' },
  { route: { type: 'events' }, label: 'Events' },
];

function RunView({ api, store, runId }: { api: ApiClient; store: RunStore; runId: string }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const route = useRoute();
  const page = (() => {
    switch (route.type) {
      case 'overview':
        return <OverviewPage state={state} api={api} />;
      case 'agents':
        return <AgentTreePage state={state} />;
      case 'agent':
        return <AgentPage api={api} store={store} state={state} runId={runId} agentId={route.agentId} />;
      case 'tasks':
        return <TaskBoardPage state={state} />;
      case 'events':
        return (
          <EventFeedPage
            key={routeHref(route)}
            api={api}
            store={store}
            runId={runId}
            agentId={route.agentId}
            taskId={route.taskId}
          />
        );
    }
  })();
  return (
    <>
      <nav className="tabs">
        {tabs.map((tab) => (
          <a
            key={tab.label}
            href={routeHref(tab.route)}
            className={
              tab.route.type === route.type || (tab.route.type === 'agents' && route.type === 'agent')
                ? 'active'
                : ''
            }
          >
            {tab.label}
          </a>
        ))}
        <span className={`live ${state.connected ? 'on' : 'off'}`} data-testid="live-indicator">
          {state.connected ? '● live' : '○ reconnecting'}
        </span>
        {state.error ? <span className="danger-text">{state.error}</span> : null}
      </nav>
      <main>{page}</main>
    </>
  );
}

/** The dashboard: picks a run (the newest by default) and shows its pages. */
export function App({ token }: { token: string | null }) {
  const api = useMemo(() => (token ? createApiClient(token) : null), [token]);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!api) return;
    api
      .get<{ items: Run[] }>('/api/runs', { limit: 100 })
      .then((result) => {
        setRuns(result.items);
        setRunId((current) => current ?? result.items[0]?.id ?? null);
      })
      .catch((reason: Error) => setError(reason.message));
  }, [api]);

  const store = useMemo(() => (api && runId ? createRunStore({ api, runId }) : null), [api, runId]);
  useEffect(() => () => store?.close(), [store]);

  if (!api)
    return (
      <p className="notice">
        Open the address that <code>cadre ui</code> printed: it carries the access token.
      </p>
    );
  return (
    <div className="app">
      <header>
        <h1>cadre</h1>
        {runs && runs.length > 0 ? (
          <select value={runId ?? ''} onChange={(event) => setRunId(event.target.value)} aria-label="run">
            {runs.map((run) => (
              <option key={run.id} value={run.id}>
                {run.id} · {run.status} · {run.goal.slice(0, 60)}
              </option>
            ))}
          </select>
        ) : null}
        {error ? <span className="danger-text">{error}</span> : null}
      </header>
      {runs && runs.length === 0 ? <p className="notice">There is no run on this board yet.</p> : null}
      {store && runId ? <RunView key={runId} api={api} store={store} runId={runId} /> : null}
    </div>
  );
}
