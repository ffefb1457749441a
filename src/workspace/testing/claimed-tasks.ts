import { openSqliteBoard, type TaskBoard } from '../../board/index.ts';
import type { Lease } from '../../protocol/index.ts';

/** A board file with one run and leased work tasks, for tests and benchmarks of landing. */
export interface ClaimedTasks {
  board: TaskBoard;
  runId: string;
  leases: Lease[];
}

/** Opens a board at `path`, creates a run with `count` work tasks and claims each of them. */
export async function createClaimedTasks(
  path: string,
  count: number,
  ttlMs = 10 * 60_000,
): Promise<ClaimedTasks> {
  const board = openSqliteBoard({ path });
  const run = await board.createRun({ goal: 'land changes' });
  await board.createTasks(
    Array.from({ length: count }, (_, index) => ({
      runId: run.id,
      kind: 'work' as const,
      title: `task ${index}`,
    })),
  );
  const leases: Lease[] = [];
  for (let index = 0; index < count; index++) {
    const lease = await board.claim({ owner: `lander-${index}`, ttlMs, filter: { runId: run.id } });
    if (!lease) throw new Error('the board had fewer open tasks than were created');
    leases.push(lease);
  }
  return { board, runId: run.id, leases };
}
