import type { MiddlewareHandler } from 'hono';
import { tokenMatches } from './access-token.ts';
import { ApiError } from './api-errors.ts';

/** Options of createAccessGuard. */
export interface AccessGuardOptions {
  token: string;
  /** Origins allowed to POST besides the server's own (for a dashboard served from elsewhere). */
  allowedOrigins?: readonly string[];
}

/** The path of the live event stream, the one GET that may carry the token as a query parameter. */
export const streamPathPattern = /^\/api\/runs\/[^/]+\/stream$/;

function presentedToken(header: (name: string) => string | undefined): string | undefined {
  const authorization = header('authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return header('x-cadre-token');
}

/**
 * Guards every API call. Reads need the token (in a header, or `?token=` for the event stream, which
 * browsers open with EventSource and cannot give headers). Writes are also refused unless the token
 * is in a header (never a cookie, so a browser never attaches it on its own), the body is declared
 * JSON (which a cross-site form cannot send without a preflight) and the Origin, when sent, is ours.
 */
export function createAccessGuard(options: AccessGuardOptions): MiddlewareHandler {
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  return async (context, next) => {
    const { req } = context;
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const fromHeader = presentedToken((name) => req.header(name));
    const fromQuery = reading && streamPathPattern.test(req.path) ? req.query('token') : undefined;
    const presented = fromHeader ?? fromQuery;
    if (!presented) {
      throw new ApiError(
        401,
        'unauthorized',
        'this API needs the access token printed when the dashboard started',
      );
    }
    if (!tokenMatches(options.token, presented))
      throw new ApiError(401, 'unauthorized', 'wrong access token');
    if (!reading) {
      const origin = req.header('origin');
      const ownOrigin = new URL(req.url).origin;
      if (origin !== undefined && origin !== ownOrigin && !allowedOrigins.has(origin)) {
        throw new ApiError(403, 'cross-site', `requests from ${origin} are not allowed`);
      }
      if (req.header('sec-fetch-site') === 'cross-site' && !(origin && allowedOrigins.has(origin))) {
        throw new ApiError(403, 'cross-site', 'cross-site requests are not allowed');
      }
      const contentType = req.header('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(contentType)) {
        throw new ApiError(
          415,
          'unsupported-media-type',
          'send the body as JSON (Content-Type: application/json)',
        );
      }
    }
    await next();
  };
}
