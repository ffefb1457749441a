import pg from 'pg';
import { BoardError, ConnectionLostError, InvalidInputError, MissingBoardError } from '../errors.ts';
import type { LeaseClock } from '../operations/lease-clock.ts';
import { type BoardOptions, createSqlTaskBoard } from '../sql-task-board.ts';
import type { TaskBoard } from '../task-board.ts';
import {
  defaultRetryPolicy,
  isConnectionError,
  type RetryPolicy,
  retryOnConnectionLoss,
} from './connection-errors.ts';
import { createNotificationListener } from './notification-listener.ts';
import { createPostgresExecutor } from './postgres-executor.ts';
import { preparePostgresSchema } from './postgres-schema.ts';

/** How to open a PostgreSQL board. */
export interface PostgresBoardOptions extends BoardOptions {
  /** A connection string: postgres://user:password@host:port/database (libpq-style query options work). */
  url: string;
  /** Refuse a database that holds no board yet (for read-only commands). Default true: create it. */
  create?: boolean;
  /** Most connections this process keeps open for board calls (default 8); followers use one more each. */
  poolSize?: number;
  /** How long to keep retrying after a lost connection (also while opening). */
  retry?: Partial<RetryPolicy>;
  /** Cancels opening, which may wait for a server that is still starting. */
  signal?: AbortSignal;
  /**
   * Whose clock sets and judges lease expiries. Default `database`: processes on machines whose
   * clocks disagree then agree on when a lease ends. `process` makes leases follow the `clock`
   * option, for tests that step time by hand.
   */
  leaseClock?: LeaseClock;
}

/** The connection string with any password removed, safe to print and log. */
export function redactConnectionString(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(
      `"${url.replace(/:[^:@/]*@/, ':***@')}" is not a postgres:// connection string`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidInputError(
      `${parsed.protocol}// is not a PostgreSQL connection string; use postgres://…`,
    );
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

function asBoardError(error: unknown, location: string): unknown {
  if (error instanceof BoardError) return error;
  // 3D000: the database named in the URL does not exist
  if ((error as { code?: unknown }).code === '3D000') return new MissingBoardError(location);
  if (isConnectionError(error)) return new ConnectionLostError(location, error);
  return error;
}

/**
 * Opens a board stored in a PostgreSQL database, creating or migrating its schema when needed.
 * Any number of processes on any number of machines may open the same database at once; they
 * coordinate through row locks (claims use FOR UPDATE SKIP LOCKED) and follow each other's
 * events through LISTEN/NOTIFY.
 */
export async function openPostgresBoard(options: PostgresBoardOptions): Promise<TaskBoard> {
  const location = redactConnectionString(options.url);
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const connection = { connectionString: options.url, application_name: 'cadre' };
  try {
    await retryOnConnectionLoss(
      async () => {
        const client = new pg.Client(connection);
        // a dead server emits 'error' on the client as well as failing the call; the call reports it
        client.on('error', () => {});
        try {
          await client.connect();
          await preparePostgresSchema(client, location, { create: options.create ?? true });
        } finally {
          await client.end().catch(() => {});
        }
      },
      retry,
      options.signal,
    );
  } catch (error) {
    throw asBoardError(error, location);
  }
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 8, pipeline: true });
  // idle connections die when the server restarts; the pool drops them and the next call reconnects
  pool.on('error', () => {});
  return createSqlTaskBoard({
    ...options,
    backend: 'postgres',
    location,
    leaseClock: options.leaseClock ?? 'database',
    executor: createPostgresExecutor({ pool, location, retry }),
    externalChanges: createNotificationListener({ connection }),
  });
}
