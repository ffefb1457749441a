import { auditLeases, type TaskBoard } from '../board/index.ts';
import { readLines, spawnTypeScript, waitForExit } from '../board/testing/spawn-typescript.ts';
import { runClaimWorkload, seedNoOpTasks } from './board-workload.ts';

/** Options for measuring claim + complete pairs on a freshly seeded board of either backend. */
export interface ClaimMeasureOptions {
  /** Opens the board to seed (and, in process, to claim on); closed when the measurement ends. */
  open: () => TaskBoard | Promise<TaskBoard>;
  tasks: number;
  /** Concurrent claimers (in each process, for the multi-process measurement). */
  workers: number;
  signal: AbortSignal;
}

/** Options for the multi-process measurement: board-bench-worker processes claiming at once. */
export interface MultiProcessMeasureOptions extends ClaimMeasureOptions {
  processes: number;
  /** Where each worker process opens the board: a SQLite path or a PostgreSQL URL. */
  location: string;
  /** Connections per worker process (PostgreSQL only). */
  poolSize?: number | undefined;
}

/** What the event log says of a run's claims (auditLeases' answer). */
export type ClaimAudit = Awaited<ReturnType<typeof auditLeases>>;

/** A claim rate and what the event log says of the run it was measured on. */
export interface ClaimMeasurement {
  perSecond: number;
  audit: ClaimAudit;
}

const ttlMs = 10 * 60_000;

/** Opens a board and seeds a run of no-op tasks on it, untimed; closes the board if seeding fails. */
async function seedBoard(options: ClaimMeasureOptions) {
  const board = await options.open();
  try {
    return { board, runId: await seedNoOpTasks(board, options.tasks) };
  } catch (error) {
    await board.close();
    throw error;
  }
}

/** Times `workers` claimers in this process working a freshly seeded run until it is empty. */
export async function measureInProcess(options: ClaimMeasureOptions): Promise<ClaimMeasurement> {
  const { board, runId } = await seedBoard(options);
  try {
    const started = performance.now();
    const result = await runClaimWorkload({
      board,
      runId,
      workers: options.workers,
      ownerPrefix: 'bench',
      ttlMs,
      signal: options.signal,
    });
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: result.completed / seconds, audit: await auditLeases(board, runId, options.signal) };
  } finally {
    await board.close();
  }
}

/** Times `processes` worker processes, started and told "go" together, working a seeded run. */
export async function measureMultiProcess(options: MultiProcessMeasureOptions): Promise<ClaimMeasurement> {
  const { board, runId } = await seedBoard(options);
  const script = new URL('./board-bench-worker.ts', import.meta.url);
  const extra = options.poolSize === undefined ? [] : [String(options.poolSize)];
  const children = Array.from({ length: options.processes }, (_, index) =>
    spawnTypeScript(script, [options.location, runId, String(options.workers), `process-${index}`, ...extra]),
  );
  try {
    const outputs = children.map((child) => readLines(child));
    for (const output of outputs) {
      const first = await output.next();
      if (first.value !== 'ready')
        throw new Error(`a bench worker did not start: ${first.value ?? 'no output'}`);
    }
    const started = performance.now();
    for (const child of children) child.stdin?.write('go\n');
    const results = await Promise.all(
      outputs.map(async (output) => JSON.parse(String((await output.next()).value)) as { completed: number }),
    );
    const seconds = (performance.now() - started) / 1000;
    const codes = await Promise.all(children.map(waitForExit));
    if (codes.some((code) => code !== 0))
      throw new Error(`a bench worker failed (exit codes ${codes.join(', ')})`);
    const completed = results.reduce((sum, result) => sum + result.completed, 0);
    return { perSecond: completed / seconds, audit: await auditLeases(board, runId, options.signal) };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await board.close();
  }
}
