import { useMemo } from 'react';
import type { TaskStatus } from '../../src/protocol/index.ts';
import type { TaskView } from '../../src/server/index.ts';
import { shortId } from './format.ts';
import { routeHref } from './hash-route.ts';
import type { RunState } from './run-store.ts';
import { VirtualList } from './virtual-list.tsx';

const columns: readonly TaskStatus[] = ['open', 'leased', 'done', 'failed', 'cancelled'];

function TaskCard({ task }: { task: TaskView }) {
  return (
    <div className={`task-card kind-${task.kind}`} data-task-id={task.id} data-status={task.status}>
      <div className="ellipsis" title={task.title}>
        <span className="role">{task.kind}</span> {task.title}
      </div>
      <div className="muted ellipsis" title={task.scope.join(' ')}>
        {task.scope.length ? task.scope.join(' ') : 'whole repository'}
      </div>
      <div className="muted">
        attempts {task.attempts}
        {task.leaseOwner ? (
          <>
            {' · '}
            {task.leaseOwner.startsWith('agent_') ? (
              <a href={routeHref({ type: 'agent', agentId: task.leaseOwner })}>{shortId(task.leaseOwner)}</a>
            ) : (
              task.leaseOwner
            )}
          </>
        ) : null}
        {task.landedCommit ? (
          <>
            {' · '}
            <a
              href={routeHref({ type: 'events', taskId: task.id })}
              title={`landed as ${task.landedCommit}`}
              className="commit"
            >
              {task.landedCommit.slice(0, 10)}
            </a>
          </>
        ) : null}
      </div>
    </div>
  );
}

/** Tasks in columns by status, each column a windowed list. */
export function TaskBoardPage({ state }: { state: RunState }) {
  const { tasks } = state;
  const byStatus = useMemo(() => {
    const groups = new Map<TaskStatus, TaskView[]>(columns.map((status) => [status, []]));
    for (const task of tasks.values()) groups.get(task.status)?.push(task);
    for (const list of groups.values()) list.sort((left, right) => right.updatedAt - left.updatedAt);
    return groups;
  }, [tasks]);
  return (
    <div className="page">
      <h2>Tasks ({state.tasks.size})</h2>
      <div className="board" data-testid="task-board">
        {columns.map((status) => {
          const tasks = byStatus.get(status) ?? [];
          return (
            <div key={status} className="column" data-testid={`column-${status}`}>
              <h3>
                {status} <span className="muted">{tasks.length}</span>
              </h3>
              <VirtualList
                items={tasks}
                rowHeight={76}
                rowKey={(task) => task.id}
                className="fill"
                renderRow={(task) => <TaskCard task={task} />}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
