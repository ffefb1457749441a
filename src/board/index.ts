export { auditLeases } from './audit.ts';
export * from './errors.ts';
export type { ChangeSource } from './follow-events.ts';
export type { UpdateAgentRequest } from './operations/agent-operations.ts';
export type { ListCheckRunsRequest, RecordCheckRunRequest } from './operations/check-run-operations.ts';
export type { ReadEventsRequest } from './operations/event-operations.ts';
export type { SendMessageRequest } from './operations/inbox-operations.ts';
export type { LandingOutcome, RecordLandingRequest } from './operations/landing-operations.ts';
export type { LeaseClock } from './operations/lease-clock.ts';
export type {
  ClaimFilter,
  ClaimRequest,
  CompletedTask,
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
} from './operations/lease-operations.ts';
export type {
  AcquireQueueLeaseRequest,
  ReleaseQueueLeaseRequest,
  RenewQueueLeaseRequest,
} from './operations/queue-lease-operations.ts';
export type {
  ListQueueEntriesRequest,
  SettleQueueEntryRequest,
  SubmitToQueueRequest,
} from './operations/queue-operations.ts';
export type { ReapResult } from './operations/reap-operations.ts';
export type { NewCycleRequest, UpdateCycleRequest, UpdateRunRequest } from './operations/run-operations.ts';
export type { ListTasksRequest, TaskFilter } from './operations/task-listing.ts';
export type { UpdateTaskRequest } from './operations/task-operations.ts';
export {
  openPostgresBoard,
  type PostgresBoardOptions,
  redactConnectionString,
} from './postgres/open-postgres-board.ts';
export { listAllTasks, readAllEvents } from './read-all.ts';
export { currentSchemaVersion } from './schema.ts';
export type { BoardOptions } from './sql-task-board.ts';
export { openSqliteBoard, type SqliteBoardOptions } from './sqlite/open-sqlite-board.ts';
export type { CallOptions, FollowRequest, TaskBoard } from './task-board.ts';
