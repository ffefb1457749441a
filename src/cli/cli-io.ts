/** Where a command writes and what it may read from its environment; injected so tests can capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM so long commands stop cleanly. */
  signal: AbortSignal;
}

/** Bad usage: a wrong flag value, a missing file, a path that is not a board. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses a positive integer flag or throws a UsageError naming the flag. */
export function parsePositiveInteger(flag: string, value: string, maximum = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > maximum) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${maximum}, not "${value}"`);
  }
  return number;
}

/** Writes a value as one line of JSON. */
export function printJson(io: CliIo, value: unknown) {
  io.stdout(`${JSON.stringify(value)}\n`);
}
