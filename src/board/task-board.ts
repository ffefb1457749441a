import type {
  Agent,
  BoardEvent,
  CheckRun,
  ClaimedLease,
  Cycle,
  InboxMessage,
  Landing,
  Lease,
  NewAgentInput,
  NewEventInput,
  NewRunInput,
  NewTaskInput,
  QueueEntry,
  QueueLease,
  Recipient,
  Run,
  Task,
  TaskStatus,
} from '../protocol/index.ts';
import type { UpdateAgentRequest } from './operations/agent-operations.ts';
import type { ListCheckRunsRequest, RecordCheckRunRequest } from './operations/check-run-operations.ts';
import type { ReadEventsRequest } from './operations/event-operations.ts';
import type { SendMessageRequest } from './operations/inbox-operations.ts';
import type { LandingOutcome, RecordLandingRequest } from './operations/landing-operations.ts';
import type {
  ClaimRequest,
  CompletedTask,
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
} from './operations/lease-operations.ts';
import type {
  AcquireQueueLeaseRequest,
  ReleaseQueueLeaseRequest,
  RenewQueueLeaseRequest,
} from './operations/queue-lease-operations.ts';
import type {
  ListQueueEntriesRequest,
  SettleQueueEntryRequest,
  SubmitToQueueRequest,
} from './operations/queue-operations.ts';
import type { ReapResult } from './operations/reap-operations.ts';
import type { NewCycleRequest, UpdateCycleRequest, UpdateRunRequest } from './operations/run-operations.ts';
import type { ListTasksRequest, TaskFilter } from './operations/task-listing.ts';
import type { UpdateTaskRequest } from './operations/task-operations.ts';

/** Every board call may be cancelled before it starts. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** Where to start following events and when to stop. */
export interface FollowRequest {
  runId?: string | undefined;
  afterSeq?: number | undefined;
  signal: AbortSignal;
}

/**
 * The single source of truth of a run: runs, cycles, tasks with leases and fences, agents, the
 * append-only event log, the inbox, landings and the merge queue. Every write is atomic and appends its event in
 * the same transaction. Implemented on SQLite and PostgreSQL with one shared set of operations.
 */
export interface TaskBoard {
  /** Which store this is. */
  readonly backend: 'sqlite' | 'postgres';
  /** The file path or a connection string with the password removed. */
  readonly location: string;

  createRun(input: NewRunInput, options?: CallOptions): Promise<Run>;
  getRun(runId: string, options?: CallOptions): Promise<Run>;
  listRuns(options?: CallOptions & { limit?: number }): Promise<Run[]>;
  /** Optimistic edit: throws VersionConflictError when the run moved on. */
  updateRun(input: UpdateRunRequest, options?: CallOptions): Promise<Run>;

  /** Starts the run's next cycle; `baseCommit` is the hub commit its work starts from. */
  createCycle(input: NewCycleRequest, options?: CallOptions): Promise<Cycle>;
  updateCycle(input: UpdateCycleRequest, options?: CallOptions): Promise<Cycle>;
  getCycle(cycleId: string, options?: CallOptions): Promise<Cycle>;
  listCycles(runId: string, options?: CallOptions): Promise<Cycle[]>;

  /** Creates tasks atomically (all or none). */
  createTasks(tasks: readonly NewTaskInput[], options?: CallOptions): Promise<Task[]>;
  getTask(taskId: string, options?: CallOptions): Promise<Task>;
  /** The tasks a filter matches, oldest first, one page (`afterId`, `limit`) at a time. */
  listTasks(request: ListTasksRequest, options?: CallOptions): Promise<Task[]>;
  /** How many tasks match, by status, across all pages; a run id alone counts the whole run. */
  countTasks(filter: string | TaskFilter, options?: CallOptions): Promise<Record<TaskStatus, number>>;
  /** Optimistic edit: throws VersionConflictError when the task moved on. */
  updateTask(input: UpdateTaskRequest, options?: CallOptions): Promise<Task>;
  /** Cancels a task and its open or leased descendants; returns the ids cancelled. */
  cancelSubtree(input: { taskId: string; reason?: string }, options?: CallOptions): Promise<string[]>;

  /** Leases one claimable task, or returns null at once when there is none; the lease carries the leased task. */
  claim(request: ClaimRequest, options?: CallOptions): Promise<ClaimedLease | null>;
  /** Extends a lease by its TTL from now, by the board's lease clock; throws StaleFenceError when it was lost. */
  heartbeat(request: HeartbeatRequest, options?: CallOptions): Promise<Lease>;
  complete(request: CompleteRequest, options?: CallOptions): Promise<CompletedTask>;
  fail(request: FailRequest, options?: CallOptions): Promise<Task>;
  release(request: { taskId: string; fence: number }, options?: CallOptions): Promise<Task>;
  /** Reopens (or fails, after too many) tasks whose lease expired: by the lease clock, or before `now` when given. */
  reap(request?: { now?: number; limit?: number }, options?: CallOptions): Promise<ReapResult>;

  registerAgent(input: NewAgentInput, options?: CallOptions): Promise<Agent>;
  updateAgent(input: UpdateAgentRequest, options?: CallOptions): Promise<Agent>;
  getAgent(agentId: string, options?: CallOptions): Promise<Agent>;
  listAgents(input: { runId: string; limit?: number }, options?: CallOptions): Promise<Agent[]>;

  /** Appends a catalog event; throws ValidationError for a type the catalog lacks or a payload it refuses. */
  appendEvent(input: NewEventInput, options?: CallOptions): Promise<BoardEvent>;
  /** Events oldest first, each parsed by the catalog (what it cannot read comes back as `unknown`). */
  readEvents(request: ReadEventsRequest, options?: CallOptions): Promise<BoardEvent[]>;
  /** The newest event's sequence number (0 for none): where a reader starts to see only what comes next. */
  lastEventSeq(request: { runId?: string | undefined }, options?: CallOptions): Promise<number>;
  /** Yields events after `afterSeq` as they are appended, by any process, until the signal aborts. */
  followEvents(request: FollowRequest): AsyncIterable<BoardEvent>;

  sendMessage(input: SendMessageRequest, options?: CallOptions): Promise<InboxMessage>;
  pollInbox(input: { recipient: Recipient; limit?: number }, options?: CallOptions): Promise<InboxMessage[]>;
  /** Undelivered messages for any agent of a run: one query for a whole fleet's inboxes. */
  pendingAgentMessages(
    input: { runId: string; limit?: number },
    options?: CallOptions,
  ): Promise<InboxMessage[]>;
  acknowledge(input: { messageIds: readonly string[] }, options?: CallOptions): Promise<InboxMessage[]>;

  /** Records a landing once per task; see LandingOutcome. */
  recordLanding(input: RecordLandingRequest, options?: CallOptions): Promise<LandingOutcome>;
  getLanding(taskId: string, options?: CallOptions): Promise<Landing | null>;

  /**
   * Appends a task's change to its run's merge queue, under the task's current lease (StaleFenceError
   * otherwise); an entry of the task still queued is settled as withdrawn (`resubmitted`) at once.
   */
  submitToQueue(input: SubmitToQueueRequest, options?: CallOptions): Promise<QueueEntry>;
  /** A run's queue entries by position, oldest first. */
  listQueueEntries(input: ListQueueEntriesRequest, options?: CallOptions): Promise<QueueEntry[]>;
  getQueueEntry(entryId: string, options?: CallOptions): Promise<QueueEntry>;
  /**
   * Takes the run's queue lease when free or expired (by the lease clock; the new holder gets
   * fence + 1), renews it when `owner` holds it, or returns null while another owner holds it.
   */
  acquireQueueLease(input: AcquireQueueLeaseRequest, options?: CallOptions): Promise<QueueLease | null>;
  /** Extends the queue lease; StaleFenceError when the fence is not current or it expired. */
  renewQueueLease(input: RenewQueueLeaseRequest, options?: CallOptions): Promise<QueueLease>;
  /** Gives the queue lease back; does nothing when the fence is not current. */
  releaseQueueLease(input: ReleaseQueueLeaseRequest, options?: CallOptions): Promise<void>;
  /**
   * Settles a queued entry; only the current queue lease's holder may (StaleFenceError otherwise).
   * A settled entry comes back unchanged.
   */
  settleQueueEntry(input: SettleQueueEntryRequest, options?: CallOptions): Promise<QueueEntry>;
  /** Records a check run, fenced like settleQueueEntry; creates its `fixTask` in the same transaction. */
  recordCheckRun(input: RecordCheckRunRequest, options?: CallOptions): Promise<CheckRun>;
  /** One check run, e.g. the one a `checks-failed` outcome names; NotFoundError when missing. */
  getCheckRun(checkRunId: string, options?: CallOptions): Promise<CheckRun>;
  /** A run's check runs, newest first. */
  listCheckRuns(input: ListCheckRunsRequest, options?: CallOptions): Promise<CheckRun[]>;

  close(): Promise<void>;
}
