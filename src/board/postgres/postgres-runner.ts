import type { PoolClient } from 'pg';
import type { SqlRunner } from '../sql/executor.ts';
import { bindArguments, type PreparedQuery } from '../sql/query.ts';

/** Maps SQL text to a prepared-statement name, stable for the life of one executor. */
export type StatementNames = (text: string) => string;

/**
 * Statement names are per executor: every pooled connection prepares a query the first time it
 * runs it and afterwards only binds values, as the SQLite executor does with its statement cache.
 */
export function createStatementNames(): StatementNames {
  const names = new Map<string, string>();
  return (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `cadre_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
}

/** What a statement touched, as far as the serial-order check of a pipelined batch cares. */
export type StatementKind =
  /** Appends to the event log and touches nothing else. */
  | 'event-insert'
  /** Reads (or changes) the event log some other way. */
  | 'event-read'
  | 'other';

/** One statement an operation sent, numbered in the order the connection sent them. */
export interface SentStatement {
  at: number;
  kind: StatementKind;
}

/** Numbers statements across all the runners of one connection; the server runs them in that order. */
export interface SendCounter {
  next: number;
}

/**
 * A runner that also tells the group commit whether an operation left a mark on the shared
 * transaction: rows it changed, or a statement the server refused (which aborts the whole
 * PostgreSQL transaction, not just the statement).
 */
export interface TrackingRunner extends SqlRunner {
  /** Statements so far that changed at least one row (a fenced UPDATE that matched nothing does not count). */
  readonly changes: number;
  /** Statements so far that the server refused. */
  readonly failures: number;
  /** Every statement sent, in order. */
  readonly sent: readonly SentStatement[];
}

// kysely compiles every query to lower-case keywords; only a bare SELECT is known to change nothing
const readOnly = /^select\s/;
// a plain VALUES insert only: one that selected its rows from other tables would read the board
const eventInsert = /^insert into "events" \([^()]*\) values \([$\d, ]*\)( returning [^()]*)?$/;
const mentionsEvents = /"events"/;

/** How the serial-order check sees a statement, from its SQL text. */
export function statementKind(text: string): StatementKind {
  if (eventInsert.test(text)) return 'event-insert';
  return mentionsEvents.test(text) ? 'event-read' : 'other';
}

/** A runner over one checked-out client; each distinct SQL text becomes a named prepared statement. */
export function createRunner(
  client: PoolClient,
  nameOf: StatementNames,
  counter: SendCounter = { next: 0 },
): TrackingRunner {
  let changes = 0;
  let failures = 0;
  const sent: SentStatement[] = [];
  const execute = async (query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape: unknown) => {
    const compiled = query.compile('postgres', shape);
    const values = bindArguments(compiled, args as Record<string, unknown>);
    // numbered when handed to the client, which sends in call order: the order the server runs them
    sent.push({ at: counter.next++, kind: statementKind(compiled.sql) });
    try {
      const result = await client.query({ name: nameOf(compiled.sql), text: compiled.sql, values });
      if ((result.rowCount ?? 0) > 0 && !readOnly.test(compiled.sql)) changes++;
      return result;
    } catch (error) {
      failures++;
      throw error;
    }
  };
  const runner = {
    get changes() {
      return changes;
    },
    get failures() {
      return failures;
    },
    sent,
    async all(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      return (await execute(query, args, shape)).rows;
    },
    async run(query: PreparedQuery<unknown, unknown, unknown>, args: unknown, shape?: unknown) {
      return (await execute(query, args, shape)).rowCount ?? 0;
    },
  };
  return runner as TrackingRunner;
}
