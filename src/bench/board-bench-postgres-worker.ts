// One process of the multi-process PostgreSQL board benchmark: opens the board, says "ready",
// waits for "go" on stdin, claims and completes until the run is empty, prints its counts as JSON.
import { createInterface } from 'node:readline';
import { openPostgresBoard } from '../board/index.ts';
import { runClaimWorkload } from './board-workload.ts';

const [url, runId, workers, ownerPrefix, poolSize] = process.argv.slice(2);
if (!url || !runId || !workers || !ownerPrefix || !poolSize) {
  process.stderr.write('usage: board-bench-postgres-worker URL RUN_ID WORKERS OWNER_PREFIX POOL_SIZE\n');
  process.exit(2);
}
const board = await openPostgresBoard({ url, poolSize: Number(poolSize) });
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
