import { listAllTasks } from '../board/index.ts';
import type { Cycle, Run } from '../protocol/index.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';

function clip(text: string, length = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/**
 * Why the run failed when no model ever answered (every call ended in a provider error), or null
 * when one did. This process's tally decides quickly; the board's log settles it for resumed runs
 * and joined workers, whose answers this process did not see.
 */
export async function noModelAnswered(
  deps: FleetDependencies,
  runId: string,
  state: FleetState,
): Promise<string | null> {
  const { answered, failed, lastError } = state.modelCalls;
  if (answered > 0 || failed === 0) return null;
  const earlier = await deps.board.readEvents({ runId, types: ['agent.model-call-ended'], limit: 1 });
  if (earlier.length > 0) return null;
  return `no model answered: ${failed} call(s) failed, the last with ${clip(lastError ?? 'an unknown error', 1000)}. Check the models' ids, keys and endpoints (cadre models, cadre models ping <role>), then start a new run.`;
}

/**
 * Why a cycle's planning produced nothing, or null when it filed a work task. The reason quotes
 * what the plan tasks said (a summary or a failure), so the reader sees what the planners thought.
 */
export async function noWorkFiled(deps: FleetDependencies, run: Run, cycle: Cycle): Promise<string | null> {
  const tasks = await listAllTasks(deps.board, { runId: run.id, cycleId: cycle.id });
  if (tasks.some((task) => task.kind === 'work')) return null;
  const said = tasks
    .filter((task) => task.kind === 'plan')
    .map(
      (task) =>
        `${task.title}: ${task.status}${task.handoff || task.failureReason ? ` — ${clip(task.handoff ?? task.failureReason ?? '')}` : ''}`,
    );
  return `the planners filed no tasks in cycle ${cycle.n}${said.length > 0 ? ` (${said.join('; ')})` : ''}. Make the goal concrete enough to plan, or check the planner's model, then start a new run.`;
}

/**
 * What the summary should say besides the status: every plan task that failed, with why — a planner
 * cut off by its model or budget files only part of its plan, and the rest was never filed — and why
 * work tasks failed, the commonest reasons first, so a run that landed little says so.
 */
export async function runNotes(deps: FleetDependencies, runId: string): Promise<string[]> {
  const [plans, work] = await Promise.all([
    listAllTasks(deps.board, { runId, kind: 'plan', status: 'failed' }),
    listAllTasks(deps.board, { runId, kind: 'work', status: 'failed' }),
  ]);
  const planNotes = plans.map(
    (task) =>
      `planner of "${task.title}" (${task.id}) ended early: ${clip(task.failureReason ?? 'no reason stored', 500)}`,
  );
  return work.length === 0 ? planNotes : [...planNotes, failedWorkNote(work)];
}

function failedWorkNote(tasks: readonly { failureReason: string | null }[]): string {
  const byReason = new Map<string, number>();
  for (const task of tasks) {
    const reason = clip(task.failureReason ?? 'no reason stored', 200);
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const commonest = [...byReason.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, 3)
    .map(([reason, count]) => `${count} × ${reason}`);
  return `${tasks.length} work task(s) failed: ${commonest.join('; ')}`;
}
