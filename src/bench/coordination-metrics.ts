import { listAllTasks, readAllEvents, type TaskBoard } from '../board/index.ts';
import { meanLockHoldMs } from './coordination-lock-holds.ts';
import { predictFlatLock } from './coordination-model.ts';
import type {
  CoordinationSettings,
  StrategyMeasures,
  StrategyName,
} from './strategies/coordination-settings.ts';

/** One row of `cadre bench coordination`: a strategy at one agent count. */
export interface CoordinationRow {
  strategy: StrategyName;
  agents: number;
  tasks: number;
  tasks_done: number;
  /** Tasks not done when the run ended, cut off or not. */
  unfinished_tasks: number;
  /** Whether the run hit the wall limit (every strategy has the same one). */
  cut_off: boolean;
  wall_s: number;
  tasks_per_s: number;
  /** tasks_per_s / agents: the rate that needs no definition of work. */
  tasks_per_agent_s: number;
  /** Nominal agent-seconds of task work: configured model latency and work time, never wall time. */
  work_agent_s: number;
  /** work_agent_s / wall_s: how many agents' worth of task work the fleet did. */
  effective_agents: number;
  /** effective_agents / agents: the share of agent-seconds that went to task work. */
  efficiency: number;
  /** Nominal steps that only shared the work out (lock cycles that claimed, planning, judging). */
  coordination_share: number;
  /** Nominal steps that changed nothing (refused writes, dawdles, reacquires, duplicates, polling). */
  waste_share: number;
  /** Agent-seconds blocked on the lock. */
  lock_wait_share: number;
  /** Wall time in model calls and tools beyond their nominal time (CPU, queues). */
  lag_share: number;
  /** The rest: agents done, waiting for tasks, or in steps cut off before their outcome was known. */
  idle_share: number;
  lag_agent_s: number;
  /** The old busy time: wall time in model calls and tools, minus lock waits. Not a measure of work. */
  busy_wall_agent_s: number;
  /** flat-lock: mean lock hold in model calls (hold time / latency); null for the other strategies. */
  lock_hold_calls: number | null;
  occ_conflicts: number;
  /** Tasks whose work was done more than once. */
  duplicate_work: number;
  /** Tasks not done after every agent ended by itself; null when the run was cut off. */
  lost_tasks: number | null;
  lock_expiries: number;
  unlocked_writes: number;
  lock_reacquires: number;
  /** flat-lock: effective_agents as predictFlatLock expects it over the same wall time; null otherwise. */
  model_effective_agents: number | null;
  /** flat-lock: the model's lock hold per cycle, in model calls; null otherwise. */
  model_lock_hold_calls: number | null;
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
  /** The cell's settings: its task count, its latency (lock holds in model calls) and the model's inputs. */
  settings: CoordinationSettings;
  measures: StrategyMeasures;
  signal: AbortSignal;
}

const flatEventTypes = [
  'coordination.work-done',
  'coordination.occ-conflict',
  'coordination.lock-expired',
  'coordination.unlocked-write',
  'coordination.lock-reacquired',
  'task.claimed',
  'task.released',
] as const;

/**
 * Turns a run into a row. Done, duplicate and lost work and lock holds come from the board, not
 * from the strategies' own counters: for flat runs from the task-set rows, the lock row's events
 * and `coordination.work-done` events, for hierarchical runs from the work rows and
 * `landing.recorded` events. Time shares come from the strategies' nominal ledgers.
 */
export async function measureRow(options: MeasureRowOptions): Promise<CoordinationRow> {
  const { board, runId, measures, settings, signal } = options;
  const flat = options.strategy !== 'hierarchical';
  const rows = await listAllTasks(board, { runId, kind: 'work' }, signal);
  const work = rows.filter((task) => !flat || task.scope[0]?.startsWith('tasks/'));
  const lock = rows.find((task) => task.scope[0]?.startsWith('coordination/lock/'));
  const done = work.filter((task) => task.status === 'done').length;
  const events = await readAllEvents(
    board,
    { runId, types: flat ? [...flatEventTypes] : ['landing.recorded'] },
    signal,
  );
  const count = (type: string) => events.filter((event) => event.type === type).length;
  const duplicates = flat
    ? repeated(
        events.flatMap((event) => (event.type === 'coordination.work-done' ? [event.payload.task] : [])),
      )
    : repeated(events.map((event) => event.taskId));
  const holdMs = lock === undefined ? null : meanLockHoldMs(events, lock.id);
  const wallSeconds = measures.wallMs / 1000;
  const agentMs = measures.agents * measures.wallMs;
  const { ledger } = measures;
  const lagMs = measures.wallBusyMs - measures.nominalMs;
  const accountedMs = ledger.workMs + ledger.coordinationMs + ledger.wasteMs + measures.lockWaitMs + lagMs;
  const effective = ledger.workMs / measures.wallMs;
  const share = (milliseconds: number) => round(milliseconds / agentMs, 3);
  const model = options.strategy === 'flat-lock' ? predictFlatLock(settings, wallSeconds) : null;
  return {
    strategy: options.strategy,
    agents: measures.agents,
    tasks: settings.tasks,
    tasks_done: done,
    unfinished_tasks: settings.tasks - done,
    cut_off: measures.cutOff,
    wall_s: round(wallSeconds, 2),
    tasks_per_s: round(done / wallSeconds, 3),
    tasks_per_agent_s: round(done / wallSeconds / measures.agents, 4),
    work_agent_s: round(ledger.workMs / 1000, 1),
    effective_agents: round(effective, 2),
    efficiency: round(effective / measures.agents, 3),
    coordination_share: share(ledger.coordinationMs),
    waste_share: share(ledger.wasteMs),
    lock_wait_share: share(measures.lockWaitMs),
    lag_share: share(lagMs),
    idle_share: share(agentMs - accountedMs),
    lag_agent_s: round(lagMs / 1000, 1),
    busy_wall_agent_s: round(measures.wallBusyMs / 1000, 1),
    lock_hold_calls:
      options.strategy === 'flat-lock' && holdMs !== null && settings.latencyMs > 0
        ? round(holdMs / settings.latencyMs, 2)
        : null,
    occ_conflicts: count('coordination.occ-conflict'),
    duplicate_work: duplicates,
    lost_tasks: measures.cutOff ? null : work.length - done,
    lock_expiries: count('coordination.lock-expired'),
    unlocked_writes: count('coordination.unlocked-write'),
    lock_reacquires: count('coordination.lock-reacquired'),
    model_effective_agents: model && round(model.effectiveAgents, 2),
    model_lock_hold_calls: model && round(model.lockHoldCalls, 2),
  };
}

/** Rounds for the report; a figure that is not finite (no wall time) reads 0. */
export function round(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : 0;
}
