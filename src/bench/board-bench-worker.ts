// One process of the multi-process board benchmark: opens the board, says "ready", waits for
// "go" on stdin, claims and completes until the board is empty, prints its counts as JSON.
import { createInterface } from 'node:readline';
import { openSqliteBoard } from '../board/index.ts';
import { runClaimWorkload } from './board-workload.ts';

const [path, runId, workers, ownerPrefix] = process.argv.slice(2);
if (!path || !runId || !workers || !ownerPrefix) {
  process.stderr.write('usage: board-bench-worker PATH RUN_ID WORKERS OWNER_PREFIX\n');
  process.exit(2);
}
const board = openSqliteBoard({ path });
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
