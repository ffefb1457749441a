import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardEvent } from '../../src/protocol/index.ts';
import type { EventPage } from '../../src/server/index.ts';
import type { ApiClient } from './api-client.ts';
import { formatTime, preview, shortId } from './format.ts';
import { routeHref } from './hash-route.ts';
import type { RunStore } from './run-store.ts';
import { VirtualList } from './virtual-list.tsx';

interface Filters {
  agent: string;
  task: string;
  types: string;
}

const pageSize = 500;
const liveLimit = 100_000;

function matches(event: BoardEvent, filters: Filters): boolean {
  if (filters.agent && event.agentId !== filters.agent) return false;
  if (filters.task && event.taskId !== filters.task) return false;
  const types = filters.types
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  if (types.length === 0) return true;
  return types.some((type) =>
    type.endsWith('*') ? event.type.startsWith(type.slice(0, -1)) : event.type === type,
  );
}

/** The run's events, newest first, live, filtered by agent, task and type; older pages load on scroll. */
export function EventFeedPage(props: {
  api: ApiClient;
  store: RunStore;
  runId: string;
  agentId?: string | undefined;
  taskId?: string | undefined;
}) {
  const { api, store, runId } = props;
  const [draft, setDraft] = useState<Filters>({
    agent: props.agentId ?? '',
    task: props.taskId ?? '',
    types: '',
  });
  const [filters, setFilters] = useState<Filters>(draft);
  const [events, setEvents] = useState<BoardEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const olderBefore = useRef<number | null>(null);
  const loading = useRef(false);
  const base = `/api/runs/${encodeURIComponent(runId)}`;

  const loadPage = useCallback(
    async (beforeSeq: number, signal?: AbortSignal) => {
      const page = await api.get<EventPage>(
        `${base}/events`,
        {
          beforeSeq,
          limit: pageSize,
          agent: filters.agent || undefined,
          task: filters.task || undefined,
          types: filters.types.replace(/\s+/g, '') || undefined,
        },
        signal,
      );
      olderBefore.current = page.nextBeforeSeq;
      return [...page.events].reverse();
    },
    [api, base, filters],
  );

  useEffect(() => {
    const controller = new AbortController();
    setEvents([]);
    setError(null);
    let live: BoardEvent[] = [];
    let loaded = false;
    const unsubscribe = store.onEvent((event) => {
      if (!matches(event, filters)) return;
      if (loaded) setEvents((current) => [event, ...current].slice(0, liveLimit));
      else live.unshift(event);
    });
    loadPage(Number.MAX_SAFE_INTEGER, controller.signal)
      .then((page) => {
        const newest = page[0]?.seq ?? 0;
        loaded = true;
        setEvents([...live.filter((event) => event.seq > newest), ...page]);
        live = [];
      })
      .catch((reason: Error) => {
        if (!controller.signal.aborted) setError(reason.message);
      });
    return () => {
      unsubscribe();
      controller.abort();
    };
  }, [store, filters, loadPage]);

  const loadOlder = useCallback(() => {
    const before = olderBefore.current;
    if (before === null || loading.current) return;
    loading.current = true;
    loadPage(before)
      .then((page) => setEvents((current) => [...current, ...page]))
      .catch((reason: Error) => setError(reason.message))
      .finally(() => {
        loading.current = false;
      });
  }, [loadPage]);

  return (
    <div className="page">
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <h2>Events</h2>
        <input
          placeholder="agent id"
          value={draft.agent}
          onChange={(event) => setDraft({ ...draft, agent: event.target.value.trim() })}
        />
        <input
          placeholder="task id"
          value={draft.task}
          onChange={(event) => setDraft({ ...draft, task: event.target.value.trim() })}
        />
        <input
          placeholder="types, e.g. task.*,landing.landed"
          value={draft.types}
          onChange={(event) => setDraft({ ...draft, types: event.target.value })}
        />
        <button type="submit">Filter</button>
        {error ? <span className="danger-text">{error}</span> : null}
      </form>
      <VirtualList
        items={events}
        rowHeight={26}
        rowKey={(event) => event.seq}
        onEndReached={loadOlder}
        className="fill"
        testId="event-feed"
        renderRow={(event) => (
          <div className="event-row" data-type={event.type}>
            <span className="muted">#{event.seq}</span>
            <span className="muted">{formatTime(event.at)}</span>
            <span className="entry-type">
              {event.type === 'unknown' ? `${event.storedType} (unreadable)` : event.type}
            </span>
            <span>
              {event.agentId ? (
                <a href={routeHref({ type: 'agent', agentId: event.agentId })}>{shortId(event.agentId)}</a>
              ) : (
                ''
              )}
            </span>
            <span className="muted">{shortId(event.taskId)}</span>
            <span className="ellipsis muted">{preview(event.payload, 200)}</span>
          </div>
        )}
      />
    </div>
  );
}
