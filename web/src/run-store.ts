import type { BoardEvent } from '../../src/protocol/index.ts';
import type { AgentView, ListPage, RunOverview, TaskView } from '../../src/server/index.ts';
import type { ApiClient } from './api-client.ts';

/** What the dashboard knows of a run, kept live from the event stream. */
export interface RunState {
  overview: RunOverview | null;
  agents: ReadonlyMap<string, AgentView>;
  tasks: ReadonlyMap<string, TaskView>;
  connected: boolean;
  error: string | null;
  /** Bumped on every change, so views can memoize on it. */
  version: number;
}

/** A live, shared view of one run for every page of the dashboard. */
export interface RunStore {
  getState(): RunState;
  subscribe(listener: () => void): () => void;
  /** Called with every new event as it arrives (before the batched refresh of agents and tasks). */
  onEvent(listener: (event: BoardEvent) => void): () => void;
  close(): void;
}

const refreshIntervalMs = 400;
const idsPerRequest = 200;

/** Options of createRunStore. */
export interface RunStoreOptions {
  api: ApiClient;
  runId: string;
}

/**
 * Loads a run (overview, every agent and task, page by page), then follows its event stream. Events
 * only mark agents and tasks as changed; changed ones are fetched in batches a few times a second,
 * so a burst of thousands of events costs a handful of requests.
 */
export function createRunStore(options: RunStoreOptions): RunStore {
  const { api, runId } = options;
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const closed = new AbortController();
  const listeners = new Set<() => void>();
  const eventListeners = new Set<(event: BoardEvent) => void>();
  const agents = new Map<string, AgentView>();
  const tasks = new Map<string, TaskView>();
  let state: RunState = { overview: null, agents, tasks, connected: false, error: null, version: 0 };
  const dirtyAgents = new Set<string>();
  const dirtyTasks = new Set<string>();
  let overviewDirty = false;
  let source: EventSource | null = null;

  // fresh map snapshots on every publish, so views can memoize on their identity
  const publish = (patch: Partial<RunState> = {}) => {
    state = {
      ...state,
      ...patch,
      agents: new Map(agents),
      tasks: new Map(tasks),
      version: state.version + 1,
    };
    for (const listener of listeners) listener();
  };
  const fail = (error: unknown) => {
    if (!closed.signal.aborted) publish({ error: (error as Error).message ?? String(error) });
  };

  async function loadAll<Item extends { id: string }>(path: string, into: Map<string, Item>, limit: number) {
    let afterId: string | undefined;
    do {
      const page = await api.get<ListPage<Item>>(path, { limit, afterId }, closed.signal);
      for (const item of page.items) into.set(item.id, item);
      afterId = page.nextAfterId ?? undefined;
      publish();
    } while (afterId);
  }

  async function refreshIds<Item extends { id: string }>(
    path: string,
    dirty: Set<string>,
    into: Map<string, Item>,
  ) {
    const ids = [...dirty];
    dirty.clear();
    for (let start = 0; start < ids.length; start += idsPerRequest) {
      const chunk = ids.slice(start, start + idsPerRequest);
      const page = await api.get<ListPage<Item>>(
        path,
        { ids: chunk.join(','), limit: chunk.length },
        closed.signal,
      );
      for (const item of page.items) into.set(item.id, item);
    }
  }

  const flush = async () => {
    if (dirtyAgents.size === 0 && dirtyTasks.size === 0 && !overviewDirty) return;
    const refreshOverview = overviewDirty;
    overviewDirty = false;
    await Promise.all([
      refreshIds(`${base}/agents`, dirtyAgents, agents),
      refreshIds(`${base}/tasks`, dirtyTasks, tasks),
      refreshOverview
        ? api.get<RunOverview>(`${base}/overview`, {}, closed.signal).then((o) => (state.overview = o))
        : null,
    ]);
    publish({ overview: state.overview });
  };

  const receive = (event: BoardEvent) => {
    if (event.agentId) dirtyAgents.add(event.agentId);
    if (event.taskId) dirtyTasks.add(event.taskId);
    overviewDirty = true;
    for (const listener of eventListeners) listener(event);
  };

  const connect = (afterSeq: number) => {
    source = new EventSource(api.streamUrl(runId, afterSeq));
    source.addEventListener('ready', () => publish({ connected: true, error: null }));
    source.onmessage = (message) => receive(JSON.parse(message.data) as BoardEvent);
    // EventSource reconnects by itself and sends Last-Event-ID, so the stream resumes without gaps
    source.onerror = () => publish({ connected: false });
  };

  const start = async () => {
    const overview = await api.get<RunOverview>(`${base}/overview`, {}, closed.signal);
    publish({ overview });
    connect(overview.lastSeq);
    await Promise.all([loadAll(`${base}/agents`, agents, 1000), loadAll(`${base}/tasks`, tasks, 2000)]);
  };

  let flushing = false;
  const timer = window.setInterval(() => {
    if (flushing) return;
    flushing = true;
    flush()
      .catch(fail)
      .finally(() => {
        flushing = false;
      });
  }, refreshIntervalMs);
  start().catch(fail);

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    close() {
      closed.abort();
      window.clearInterval(timer);
      source?.close();
    },
  };
}
