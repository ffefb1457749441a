// A worker process for the exactly-once test: claims, "works" for a moment, completes, and
// reports each outcome on stdout; keeps going until the run has nothing open or leased.
// "freeze" on stdin holds every worker after its work and before it completes (a process that
// stalls while holding leases, without stopping it inside an SQLite write lock); "thaw" lets go.
// The board is a SQLite file path or a postgres:// connection string.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPostgresBoard, openSqliteBoard, StaleFenceError } from '../index.ts';

const [location, runId, owner, ttl, delay, concurrency] = process.argv.slice(2);
const board = /^postgres(ql)?:\/\//.test(location as string)
  ? await openPostgresBoard({ url: location as string })
  : openSqliteBoard({ path: location as string });
const say = (line: string) => process.stdout.write(`${line}\n`);
let frozen: { promise: Promise<void>; thaw: () => void } | null = null;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'freeze' && !frozen) {
    let thaw = () => {};
    const promise = new Promise<void>((resolve) => {
      thaw = resolve;
    });
    frozen = { promise, thaw };
    say('frozen');
  }
  if (line === 'thaw' && frozen) {
    frozen.thaw();
    frozen = null;
  }
});

async function worker(index: number) {
  const name = `${owner}-${index}`;
  for (;;) {
    const lease = await board.claim({ owner: name, ttlMs: Number(ttl), filter: { runId: runId as string } });
    if (!lease) {
      const counts = await board.countTasks(runId as string);
      if (counts.open + counts.leased === 0) return;
      await sleep(25);
      continue;
    }
    say(`claimed ${lease.taskId} ${lease.fence}`);
    await sleep(Number(delay));
    if (frozen) await frozen.promise;
    try {
      await board.complete({ taskId: lease.taskId, fence: lease.fence });
      say(`completed ${lease.taskId} ${lease.fence}`);
    } catch (error) {
      if (!(error instanceof StaleFenceError)) throw error;
      say(`stale ${lease.taskId} ${lease.fence}`);
    }
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, (_, index) => worker(index)));
await board.close();
say('finished');
process.exit(0);
