// Writes to a board as fast as it can until killed: batches of tasks, claims, completions and
// events, so that a SIGKILL lands in the middle of some transaction.
import { openSqliteBoard } from '../index.ts';

const [path, runId] = process.argv.slice(2);
const board = openSqliteBoard({ path: path as string });
let announced = false;
for (let round = 0; ; round++) {
  await board.createTasks(
    Array.from({ length: 200 }, (_, index) => ({
      runId: runId as string,
      kind: 'work' as const,
      title: `round ${round} task ${index}`,
      spec: 'x'.repeat(500),
    })),
  );
  await Promise.all(
    Array.from({ length: 50 }, async (_, index) => {
      const lease = await board.claim({
        owner: `writer-${index}`,
        ttlMs: 60_000,
        filter: { runId: runId as string },
      });
      if (lease && index % 2 === 0)
        await board.complete({ taskId: lease.taskId, fence: lease.fence, result: { round } });
      await board.appendEvent({
        runId: runId as string,
        type: 'coordination.work-done',
        payload: { agent: index, task: round, duplicate: false },
      });
    }),
  );
  if (!announced) {
    process.stdout.write('ready\n');
    announced = true;
  }
}
