import { listAllTasks, readAllEvents, type TaskBoard } from '../board/index.ts';
import type { StrategyMeasures, StrategyName } from './strategies/coordination-settings.ts';

/** One row of `cadre bench coordination`: a strategy at one agent count. */
export interface CoordinationRow {
  strategy: StrategyName;
  agents: number;
  tasks: number;
  tasks_done: number;
  wall_s: number;
  busy_agent_s: number;
  /** Busy agent-seconds per wall second: how many agents' worth of work the fleet did. */
  effective_agents: number;
  /** effective_agents / agents. */
  efficiency: number;
  /** Share of agent-seconds blocked waiting for the lock. */
  lock_wait_share: number;
  /** Share of agent-seconds spent on optimistic attempts that lost their version check. */
  retry_share: number;
  occ_conflicts: number;
  /** Tasks whose work was done more than once. */
  duplicate_work: number;
  /** Tasks not done after every agent ended by itself; null when the run was cut off. */
  lost_tasks: number | null;
  cut_off: boolean;
  lock_expiries: number;
  unlocked_writes: number;
  lock_reacquires: number;
}

/** Tasks that appear more than once among `keys`. */
function repeated(keys: readonly unknown[]): number {
  const counts = new Map<unknown, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.values()].filter((count) => count > 1).length;
}

/** Options of measureRow. */
export interface MeasureRowOptions {
  board: TaskBoard;
  runId: string;
  strategy: StrategyName;
  tasks: number;
  measures: StrategyMeasures;
  signal: AbortSignal;
}

/**
 * Turns a run into a row. Done, duplicate and lost work come from the board, not from the
 * strategies' own counters: for flat runs from the task-set rows and `coordination.work-done`
 * events, for hierarchical runs from the work rows and `landing.recorded` events.
 */
export async function measureRow(options: MeasureRowOptions): Promise<CoordinationRow> {
  const { board, runId, measures, signal } = options;
  const flat = options.strategy !== 'hierarchical';
  const work = (await listAllTasks(board, { runId, kind: 'work' }, signal)).filter(
    (task) => !flat || task.scope[0]?.startsWith('tasks/'),
  );
  const done = work.filter((task) => task.status === 'done').length;
  const events = await readAllEvents(
    board,
    {
      runId,
      types: flat
        ? [
            'coordination.work-done',
            'coordination.occ-conflict',
            'coordination.lock-expired',
            'coordination.unlocked-write',
            'coordination.lock-reacquired',
          ]
        : ['landing.recorded'],
    },
    signal,
  );
  const count = (type: string) => events.filter((event) => event.type === type).length;
  const duplicates = flat
    ? repeated(
        events.flatMap((event) => (event.type === 'coordination.work-done' ? [event.payload.task] : [])),
      )
    : repeated(events.map((event) => event.taskId));
  const wallSeconds = measures.wallMs / 1000;
  const agentSeconds = measures.agents * wallSeconds;
  const effective = measures.busyMs / 1000 / wallSeconds;
  return {
    strategy: options.strategy,
    agents: measures.agents,
    tasks: options.tasks,
    tasks_done: done,
    wall_s: round(wallSeconds, 2),
    busy_agent_s: round(measures.busyMs / 1000, 1),
    effective_agents: round(effective, 2),
    efficiency: round(effective / measures.agents, 3),
    lock_wait_share: round(measures.lockWaitMs / 1000 / agentSeconds, 3),
    retry_share: round(measures.retryMs / 1000 / agentSeconds, 3),
    occ_conflicts: count('coordination.occ-conflict'),
    duplicate_work: duplicates,
    lost_tasks: measures.cutOff ? null : work.length - done,
    cut_off: measures.cutOff,
    lock_expiries: count('coordination.lock-expired'),
    unlocked_writes: count('coordination.unlocked-write'),
    lock_reacquires: count('coordination.lock-reacquired'),
  };
}

function round(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : 0;
}
