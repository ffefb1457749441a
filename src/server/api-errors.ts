import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { BoardError } from '../board/index.ts';
import { describeIssue } from '../protocol/index.ts';
import type { ApiErrorBody } from './api-types.ts';

/** An error the API reports as JSON with a status; thrown by handlers, rendered by the error hook. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates input with a schema, or throws a 400 naming every problem with its path. */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => describeIssue(issue, '(root)'));
  throw new ApiError(400, 'invalid-input', `invalid ${what}: ${issues.join('; ')}`, issues);
}

const boardStatuses: Partial<Record<BoardError['type'], ContentfulStatusCode>> = {
  'invalid-input': 400,
  'not-found': 404,
  'version-conflict': 409,
  'stale-fence': 409,
  'invalid-state': 409,
  closed: 503,
  'connection-lost': 503,
};

/** Renders any error as `{ error: { type, message } }` with a fitting status; unknown errors are 500. */
export function renderError(error: unknown, context: Context): Response {
  let status: ContentfulStatusCode = 500;
  let body: ApiErrorBody = { error: { type: 'internal', message: 'internal error; see the server log' } };
  if (error instanceof ApiError) {
    status = error.status;
    body = {
      error: { type: error.type, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
    };
  } else if (error instanceof BoardError) {
    status = boardStatuses[error.type] ?? 500;
    body = { error: { type: error.type, message: error.message } };
  } else if (error instanceof Error && error.name === 'AbortError') {
    status = 503;
    body = { error: { type: 'aborted', message: 'the server is shutting down' } };
  } else {
    console.error('cadre dashboard:', error);
  }
  return context.json(body, status);
}
