/**
 * A failure the model can act on: its message goes back to the model as the tool result and the agent
 * keeps going. Tools throw this for expected failures (missing file, string not found, bad regex).
 */
export class ToolError extends Error {
  /** Structured facts about the failure, for people (logs, dashboard); never sent to the model. */
  readonly details: unknown;

  constructor(message: string, details: unknown = null) {
    super(message);
    this.name = 'ToolError';
    this.details = details;
  }
}

/**
 * A failure that must end the agent (its workspace is gone, the board refuses its fence): the
 * dispatcher rethrows it instead of reporting it to the model.
 */
export class FatalToolError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FatalToolError';
  }
}
