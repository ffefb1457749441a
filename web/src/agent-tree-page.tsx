import { useMemo, useState } from 'react';
import type { AgentActivity, AgentView } from '../../src/server/index.ts';
import { agentTotals, formatDollars, formatTokens, shortId } from './format.ts';
import { routeHref } from './hash-route.ts';
import type { RunState } from './run-store.ts';
import { VirtualList } from './virtual-list.tsx';

interface TreeRow {
  agent: AgentView;
  depth: number;
}

/** Planners first, then sub-planners under them, then workers under those; ordered by start. */
export function flattenAgentTree(agents: Iterable<AgentView>): TreeRow[] {
  const all = [...agents].sort(
    (left, right) => left.createdAt - right.createdAt || left.id.localeCompare(right.id),
  );
  const known = new Set(all.map((agent) => agent.id));
  const children = new Map<string, AgentView[]>();
  const roots: AgentView[] = [];
  for (const agent of all) {
    if (agent.parentId && known.has(agent.parentId)) {
      const list = children.get(agent.parentId) ?? [];
      list.push(agent);
      children.set(agent.parentId, list);
    } else roots.push(agent);
  }
  const rows: TreeRow[] = [];
  // an explicit stack instead of recursion: a deep tree must not overflow the call stack
  const stack: TreeRow[] = roots.reverse().map((agent) => ({ agent, depth: 0 }));
  while (stack.length > 0) {
    const row = stack.pop() as TreeRow;
    rows.push(row);
    const below = children.get(row.agent.id) ?? [];
    for (let index = below.length - 1; index >= 0; index--)
      stack.push({ agent: below[index] as AgentView, depth: row.depth + 1 });
  }
  return rows;
}

/** What an agent is doing, in a few words. */
export function describeActivity(activity: AgentActivity): string {
  switch (activity.type) {
    case 'idle':
      return '';
    case 'thinking':
      return 'calling the model…';
    case 'tool':
      return `▶ ${activity.toolName}`;
    case 'paused':
      return 'paused';
    case 'ended':
      return `ended: ${activity.reason}`;
  }
}

/** The live agent tree: planner → sub-planners → workers, with state and current tool call. */
export function AgentTreePage({ state }: { state: RunState }) {
  const [filter, setFilter] = useState('');
  const { agents, tasks } = state;
  const rows = useMemo(() => {
    const all = flattenAgentTree(agents.values());
    const needle = filter.trim().toLowerCase();
    if (!needle) return all;
    return all.filter(({ agent }) =>
      [agent.id, agent.role, agent.status, tasks.get(agent.taskId ?? '')?.title ?? ''].some((text) =>
        text.toLowerCase().includes(needle),
      ),
    );
  }, [agents, tasks, filter]);
  return (
    <div className="page">
      <div className="toolbar">
        <h2>Agents ({state.agents.size})</h2>
        <input
          placeholder="filter by id, role, status or task"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </div>
      <div className="list-header tree-grid">
        <span>agent</span>
        <span>status</span>
        <span>doing</span>
        <span>task</span>
        <span>tokens</span>
        <span>cost</span>
      </div>
      <VirtualList
        items={rows}
        rowHeight={30}
        rowKey={(row) => row.agent.id}
        testId="agent-tree"
        className="fill"
        renderRow={({ agent, depth }) => {
          const totals = agentTotals(agent);
          return (
            <a
              className={`tree-grid row role-${agent.role}`}
              href={routeHref({ type: 'agent', agentId: agent.id })}
              data-role={agent.role}
              data-agent-id={agent.id}
            >
              <span style={{ paddingLeft: depth * 18 }}>
                <span className={`role role-${agent.role}`}>{agent.role}</span> {shortId(agent.id)}
              </span>
              <span className={`status status-${agent.status}`}>{agent.status}</span>
              <span className="activity">{describeActivity(agent.activity)}</span>
              <span className="ellipsis">{state.tasks.get(agent.taskId ?? '')?.title ?? ''}</span>
              <span>{formatTokens(totals.tokens)}</span>
              <span>{formatDollars(totals.costUsd)}</span>
            </a>
          );
        }}
      />
    </div>
  );
}
