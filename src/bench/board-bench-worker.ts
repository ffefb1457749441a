// One process of the multi-process board benchmark (either backend): opens the board, says "ready",
// waits for "go" on stdin, claims and completes until the run is empty, prints its counts as JSON.
import { createInterface } from 'node:readline';
import { openPostgresBoard, openSqliteBoard } from '../board/index.ts';
import { runClaimWorkload } from './board-workload.ts';

const [location, runId, workers, ownerPrefix, poolSize] = process.argv.slice(2);
if (!location || !runId || !workers || !ownerPrefix) {
  process.stderr.write(
    'usage: board-bench-worker PATH|POSTGRES-URL RUN_ID WORKERS OWNER_PREFIX [POOL_SIZE]\n',
  );
  process.exit(2);
}
const board = /^postgres(ql)?:\/\//.test(location)
  ? await openPostgresBoard({ url: location, ...(poolSize ? { poolSize: Number(poolSize) } : {}) })
  : openSqliteBoard({ path: location });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
lines.close();
const result = await runClaimWorkload({
  board,
  runId,
  workers: Number(workers),
  ownerPrefix,
  ttlMs: 10 * 60_000,
  signal: new AbortController().signal,
});
await board.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
