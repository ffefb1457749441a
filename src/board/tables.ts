// The board's tables as kysely sees them: the row shapes both backends share.
import type { Generated } from 'kysely';

/** Rows of `cadre_meta`: the board format marker and the schema version. */
export interface MetaTable {
  key: string;
  value: string;
}

/** Rows of `runs`. JSON columns hold text so both backends share one code path. */
export interface RunsTable {
  id: string;
  goal: string;
  config: string;
  status: string;
  budget_usd: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

/** Rows of `cycles`. */
export interface CyclesTable {
  id: string;
  run_id: string;
  n: number;
  status: string;
  verdict: string | null;
  started_at: number;
  ended_at: number | null;
  /** Since schema version 3; null for cycles started before it. */
  base_commit: string | null;
}

/** Rows of `tasks`. */
export interface TasksTable {
  id: string;
  run_id: string;
  cycle_id: string | null;
  parent_id: string | null;
  kind: string;
  title: string;
  spec: string;
  acceptance: string;
  scope: string;
  scope_root: string;
  priority: number;
  depends_on: string;
  /** How many of depends_on are not done yet; a task is claimable only at 0. */
  blocked_count: number;
  /** 1 when some task depends on this one, so completing it must unblock them. */
  has_dependents: number;
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  fence: number;
  version: number;
  result: string | null;
  handoff: string | null;
  failure_reason: string | null;
  created_at: number;
  updated_at: number;
}

/** Rows of `task_dependencies`: task_id waits for depends_on_id. */
export interface TaskDependenciesTable {
  task_id: string;
  depends_on_id: string;
}

/** Rows of `agents`. */
export interface AgentsTable {
  id: string;
  run_id: string;
  cycle_id: string | null;
  parent_id: string | null;
  role: string;
  model: string;
  prompt_hash: string;
  task_id: string | null;
  status: string;
  heartbeat_at: number;
  usage: string;
  created_at: number;
}

/** Rows of `events`, the append-only log. */
export interface EventsTable {
  seq: Generated<number>;
  run_id: string;
  at: number;
  agent_id: string | null;
  task_id: string | null;
  type: string;
  payload: string;
}

/** Rows of `inbox`. */
export interface InboxTable {
  id: string;
  run_id: string;
  agent_id: string | null;
  kind: string;
  body: string;
  created_at: number;
  delivered_at: number | null;
}

/** Rows of `landings`: at most one per task, which is what makes landing idempotent. */
export interface LandingsTable {
  task_id: string;
  run_id: string;
  fence: number;
  commit_sha: string;
  at: number;
}

/** Rows of `queue_entries` (since schema version 4): a run's merge queue, in `position` order. */
export interface QueueEntriesTable {
  id: string;
  run_id: string;
  task_id: string;
  fence: number;
  agent_id: string | null;
  commit_sha: string;
  base_sha: string;
  ref: string;
  /** JSON array of paths. */
  files: string;
  position: number;
  status: string;
  /** JSON QueueOutcome; null while queued. */
  outcome: string | null;
  submitted_at: number;
  settled_at: number | null;
}

/** Rows of `check_runs` (since schema version 4): one run of the checks over a tree. */
export interface CheckRunsTable {
  id: string;
  run_id: string;
  commit_sha: string;
  base_sha: string;
  /** JSON array of queue entry ids. */
  entry_ids: string;
  result: string;
  /** 1 when the checks were judged flaky. */
  flaky: number;
  duration_ms: number;
  output: string;
  fix_task_id: string | null;
  at: number;
}

/** Rows of `queue_leases` (since schema version 4): at most one per run, who runs its merge queue. */
export interface QueueLeasesTable {
  run_id: string;
  owner: string;
  fence: number;
  /** By the lease clock; 0 once released. */
  expires_at: number;
}

/** The board's tables, as kysely sees them. */
export interface BoardDatabase {
  cadre_meta: MetaTable;
  runs: RunsTable;
  cycles: CyclesTable;
  tasks: TasksTable;
  task_dependencies: TaskDependenciesTable;
  agents: AgentsTable;
  events: EventsTable;
  inbox: InboxTable;
  landings: LandingsTable;
  queue_entries: QueueEntriesTable;
  check_runs: CheckRunsTable;
  queue_leases: QueueLeasesTable;
}
