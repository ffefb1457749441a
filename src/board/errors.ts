/** What went wrong, as a tag callers switch on. */
export type BoardErrorType =
  | 'invalid-input'
  | 'not-found'
  | 'stale-fence'
  | 'version-conflict'
  | 'invalid-state'
  | 'not-a-board'
  | 'missing-board'
  | 'schema-too-new'
  | 'corrupt-row'
  | 'connection-lost'
  | 'outcome-unknown'
  | 'closed';

/** Every error the board throws on purpose; the message says what happened and what to do. */
export class BoardError extends Error {
  /** The kind of failure. */
  readonly type: BoardErrorType;

  constructor(type: BoardErrorType, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BoardError';
    this.type = type;
  }
}

/** Input failed validation; nothing was written. */
export class InvalidInputError extends BoardError {
  constructor(message: string) {
    super('invalid-input', message);
    this.name = 'InvalidInputError';
  }
}

/** An id names nothing on this board. */
export class NotFoundError extends BoardError {
  constructor(
    readonly entity: 'run' | 'cycle' | 'task' | 'agent' | 'message' | 'queue entry' | 'check run',
    readonly id: string,
  ) {
    super(
      'not-found',
      `no ${entity} with id ${id} on this board; check the id (cadre board show lists them)`,
    );
    this.name = 'NotFoundError';
  }
}

/**
 * The caller's lease is gone: the task was reaped, reassigned, cancelled or finished since the fence
 * was granted. The caller must stop working on the task and must not land its change.
 */
export class StaleFenceError extends BoardError {
  constructor(
    /** The task whose lease it was ('' for a run's queue lease, see StaleQueueFenceError). */
    readonly taskId: string,
    readonly presentedFence: number,
    readonly currentFence: number,
    readonly currentStatus: string,
    message?: string,
  ) {
    super(
      'stale-fence',
      message ??
        `fence ${presentedFence} for task ${taskId} is stale (task is ${currentStatus} at fence ${currentFence}); ` +
          'the lease was lost, so drop this work and claim again',
    );
    this.name = 'StaleFenceError';
  }
}

/**
 * The caller's merge-queue lease is gone: it expired, or another runner took the run's queue since
 * the fence was granted. A StaleFenceError, so callers that stop on one stop on both; the caller
 * must stop running the queue and must not settle, record or push anything more.
 */
export class StaleQueueFenceError extends StaleFenceError {
  constructor(
    readonly runId: string,
    presentedFence: number,
    currentFence: number,
    /** `held` (by another fence), `expired`, or `free` (never taken). */
    currentStatus: 'held' | 'expired' | 'free',
  ) {
    super(
      '',
      presentedFence,
      currentFence,
      currentStatus,
      `queue fence ${presentedFence} for run ${runId} is stale (the queue lease is ${currentStatus} at fence ` +
        `${currentFence}); the queue was lost, so stop running it and acquire the lease again`,
    );
    this.name = 'StaleQueueFenceError';
  }
}

/** Someone else changed the row since the caller read it; re-read and retry the edit. */
export class VersionConflictError extends BoardError {
  constructor(
    readonly entity: 'run' | 'task',
    readonly id: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      'version-conflict',
      `${entity} ${id} is at version ${actualVersion}, not ${expectedVersion}; re-read it and apply the edit again`,
    );
    this.name = 'VersionConflictError';
  }
}

/** The operation does not apply to the entity in its current state. */
export class InvalidStateError extends BoardError {
  constructor(message: string) {
    super('invalid-state', message);
    this.name = 'InvalidStateError';
  }
}

/** The file or database exists but is not a cadre board. */
export class NotABoardError extends BoardError {
  constructor(location: string, why: string) {
    super(
      'not-a-board',
      `${location} is not a cadre board (${why}); point --db at a board file or at a path that does not exist yet`,
    );
    this.name = 'NotABoardError';
  }
}

/** There is no board where one was expected (read-only commands never create one). */
export class MissingBoardError extends BoardError {
  constructor(location: string) {
    super(
      'missing-board',
      `there is no board at ${location}; start a run first (cadre demo) or pass --db with the right path`,
    );
    this.name = 'MissingBoardError';
  }
}

/** The board was written by a newer cadre. */
export class SchemaTooNewError extends BoardError {
  constructor(location: string, found: number, supported: number) {
    super(
      'schema-too-new',
      `${location} has board schema version ${found} but this cadre supports up to ${supported}; upgrade cadre`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** A stored row does not have the shape cadre wrote; the board was edited by hand or damaged. */
export class CorruptRowError extends BoardError {
  constructor(table: string, key: string, detail: string) {
    super(
      'corrupt-row',
      `row ${key} of table ${table} is malformed (${detail}); the board was changed outside cadre — restore it from a backup`,
    );
    this.name = 'CorruptRowError';
  }
}

/** The database server could not be reached (after retrying, for reads and for writes that never reached it). */
export class ConnectionLostError extends BoardError {
  constructor(location: string, cause: unknown) {
    super(
      'connection-lost',
      `lost the connection to the board at ${location} (${(cause as Error)?.message ?? String(cause)}); ` +
        'check that the database server is running and reachable, then try again',
      { cause },
    );
    this.name = 'ConnectionLostError';
  }
}

/**
 * The connection broke while a write was committing, so it may or may not have taken effect.
 * Re-read the state before repeating it; fenced operations are safe to repeat (a repeat that
 * already happened fails with StaleFenceError).
 */
export class OutcomeUnknownError extends BoardError {
  constructor(location: string, cause: unknown) {
    super(
      'outcome-unknown',
      `the connection to ${location} broke while a write was committing, so it may or may not have been applied ` +
        `(${(cause as Error)?.message ?? String(cause)}); re-read the board before repeating it`,
      { cause },
    );
    this.name = 'OutcomeUnknownError';
  }
}

/** The board was closed. */
export class BoardClosedError extends BoardError {
  constructor() {
    super('closed', 'the board is closed; open it again');
    this.name = 'BoardClosedError';
  }
}
