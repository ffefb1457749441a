import { listAllTasks, type TaskBoard } from '../board/index.ts';

/**
 * True when a run has no planning or work left that anyone could do: nothing is leased (by this
 * process or any joined worker) and no open plan or work task is claimable (every open one waits on
 * a dependency that will not finish). Reading the board, not local slots, is what lets a cycle end
 * correctly when its work is done by other processes.
 */
export async function isWorkDrained(board: TaskBoard, runId: string, signal?: AbortSignal): Promise<boolean> {
  // the cheap count rules out the common case (someone holds a lease) in one query
  const counts = await board.countTasks(runId, { signal });
  if (counts.leased > 0) return false;
  // one snapshot with nothing open and nothing leased needs no closer look (the end of every cycle)
  if (counts.open === 0) return true;
  // the decision itself comes from one snapshot: between two reads a task can be claimed and
  // vanish from a list of open tasks, which would look like nothing left to do
  const tasks = await listAllTasks(board, { runId }, signal);
  const statusOf = new Map(tasks.map((task) => [task.id, task.status]));
  for (const task of tasks) {
    if (task.status === 'leased') return false;
    if (task.status !== 'open' || task.kind === 'judge') continue;
    if (task.dependsOn.every((dependency) => statusOf.get(dependency) === 'done')) return false;
  }
  return true;
}
