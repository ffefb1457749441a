import type { z } from 'zod';
import {
  Agent,
  type BoardEvent,
  CheckRun,
  Cycle,
  EventEnvelope,
  InboxMessage,
  Landing,
  parseStoredEvent,
  QueueEntry,
  QueueLease,
  Run,
  Task,
  Verdict,
} from '../protocol/index.ts';
import { CorruptRowError } from './errors.ts';
import type {
  AgentsTable,
  CheckRunsTable,
  CyclesTable,
  EventsTable,
  InboxTable,
  LandingsTable,
  QueueEntriesTable,
  QueueLeasesTable,
  RunsTable,
  TasksTable,
} from './tables.ts';

// PostgreSQL returns bigint columns as strings; converting here keeps one mapping for both backends
function toNumber(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

function parseJson(table: string, key: string, column: string, text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new CorruptRowError(table, key, `column ${column} is not valid JSON`);
  }
}

function parseRow<Schema extends z.ZodType>(schema: Schema, table: string, key: string, value: unknown) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptRowError(
      table,
      key,
      `${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data as z.infer<Schema>;
}

/** A stored run row as a Run. */
export function runFromRow(row: RunsTable): Run {
  return parseRow(Run, 'runs', row.id, {
    id: row.id,
    goal: row.goal,
    config: parseJson('runs', row.id, 'config', row.config),
    status: row.status,
    budgetUsd: row.budget_usd === null ? null : Number(row.budget_usd),
    version: toNumber(row.version),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  });
}

/** A stored cycle row as a Cycle. */
export function cycleFromRow(row: CyclesTable): Cycle {
  return parseRow(Cycle, 'cycles', row.id, {
    id: row.id,
    runId: row.run_id,
    n: toNumber(row.n),
    status: row.status,
    verdict: verdictFromText(row.verdict),
    baseCommit: row.base_commit ?? null,
    startedAt: toNumber(row.started_at),
    endedAt: toNumber(row.ended_at),
  });
}

/**
 * A stored verdict, or null. Verdicts are written checked (judge tools parse them), but a board may
 * hold older or hand-edited ones: JSON that is not a verdict reads as null (not judged), like no
 * verdict, rather than making the whole cycle (and its run's status) unreadable.
 */
function verdictFromText(text: string | null): Verdict | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = Verdict.nullable().safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A stored task row as a Task. */
export function taskFromRow(row: TasksTable): Task {
  return parseRow(Task, 'tasks', row.id, {
    id: row.id,
    runId: row.run_id,
    cycleId: row.cycle_id,
    parentId: row.parent_id,
    kind: row.kind,
    title: row.title,
    spec: row.spec,
    acceptance: row.acceptance,
    scope: parseJson('tasks', row.id, 'scope', row.scope),
    priority: toNumber(row.priority),
    dependsOn: parseJson('tasks', row.id, 'depends_on', row.depends_on),
    status: row.status,
    attempts: toNumber(row.attempts),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toNumber(row.lease_expires_at),
    fence: toNumber(row.fence),
    version: toNumber(row.version),
    result: parseJson('tasks', row.id, 'result', row.result),
    handoff: row.handoff,
    failureReason: row.failure_reason,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  });
}

/** A stored agent row as an Agent. */
export function agentFromRow(row: AgentsTable): Agent {
  return parseRow(Agent, 'agents', row.id, {
    id: row.id,
    runId: row.run_id,
    cycleId: row.cycle_id,
    parentId: row.parent_id,
    role: row.role,
    model: row.model,
    promptHash: row.prompt_hash,
    taskId: row.task_id,
    status: row.status,
    heartbeatAt: toNumber(row.heartbeat_at),
    usage: parseJson('agents', row.id, 'usage', row.usage),
    createdAt: toNumber(row.created_at),
  });
}

/**
 * A stored event row as a BoardEvent: its envelope must be sound (else CorruptRowError), its type and
 * payload are read by the event catalog, which turns what it cannot read into an `unknown` event.
 */
export function eventFromRow(row: Omit<EventsTable, 'seq'> & { seq: number | string }): BoardEvent {
  const key = String(row.seq);
  const envelope = parseRow(EventEnvelope, 'events', key, {
    seq: toNumber(row.seq),
    runId: row.run_id,
    at: toNumber(row.at),
    agentId: row.agent_id,
    taskId: row.task_id,
  });
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    const reason = 'its payload is not valid JSON';
    return { ...envelope, type: 'unknown', storedType: row.type, payload: row.payload, reason };
  }
  return { ...envelope, ...parseStoredEvent(row.type, payload) };
}

/** A stored inbox row as an InboxMessage. */
export function messageFromRow(row: InboxTable): InboxMessage {
  return parseRow(InboxMessage, 'inbox', row.id, {
    id: row.id,
    runId: row.run_id,
    agentId: row.agent_id,
    kind: row.kind,
    body: row.body,
    createdAt: toNumber(row.created_at),
    deliveredAt: toNumber(row.delivered_at),
  });
}

/** A stored landing row as a Landing. */
export function landingFromRow(row: LandingsTable): Landing {
  return parseRow(Landing, 'landings', row.task_id, {
    taskId: row.task_id,
    runId: row.run_id,
    fence: toNumber(row.fence),
    commit: row.commit_sha,
    at: toNumber(row.at),
  });
}

/** A stored queue entry row as a QueueEntry (its outcome parsed as a QueueOutcome). */
export function queueEntryFromRow(row: QueueEntriesTable): QueueEntry {
  return parseRow(QueueEntry, 'queue_entries', row.id, {
    id: row.id,
    runId: row.run_id,
    taskId: row.task_id,
    fence: toNumber(row.fence),
    agentId: row.agent_id,
    commit: row.commit_sha,
    base: row.base_sha,
    ref: row.ref,
    files: parseJson('queue_entries', row.id, 'files', row.files),
    position: toNumber(row.position),
    status: row.status,
    outcome: parseJson('queue_entries', row.id, 'outcome', row.outcome),
    submittedAt: toNumber(row.submitted_at),
    settledAt: toNumber(row.settled_at),
  });
}

/** A stored check run row as a CheckRun. */
export function checkRunFromRow(row: CheckRunsTable): CheckRun {
  return parseRow(CheckRun, 'check_runs', row.id, {
    id: row.id,
    runId: row.run_id,
    commit: row.commit_sha,
    base: row.base_sha,
    entryIds: parseJson('check_runs', row.id, 'entry_ids', row.entry_ids),
    result: row.result,
    flaky: Number(row.flaky) === 1,
    durationMs: toNumber(row.duration_ms),
    output: row.output,
    fixTaskId: row.fix_task_id,
    at: toNumber(row.at),
  });
}

/** A stored queue lease row as a QueueLease. */
export function queueLeaseFromRow(row: QueueLeasesTable): QueueLease {
  return parseRow(QueueLease, 'queue_leases', row.run_id, {
    runId: row.run_id,
    owner: row.owner,
    fence: toNumber(row.fence),
    expiresAt: toNumber(row.expires_at),
  });
}
