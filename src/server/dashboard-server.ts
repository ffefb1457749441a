import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { TaskBoard } from '../board/index.ts';
import { createAccessGuard } from './access-guard.ts';
import { ApiError, renderError } from './api-errors.ts';
import { registerControlRoutes } from './control-routes.ts';
import { createDashboardContext } from './dashboard-context.ts';
import { registerEventRoutes } from './event-routes.ts';
import { registerReadRoutes } from './read-routes.ts';

/** Options of createDashboardServer. */
export interface DashboardServerOptions {
  board: TaskBoard;
  /** The access token every API call must present. */
  token: string;
  /** The built web app to serve (dist/web); without it only the API is served. */
  assetsDirectory?: string | undefined;
  /** Origins besides the server's own that may send POSTs. */
  allowedOrigins?: readonly string[] | undefined;
  /** Aborting it ends every live stream (on shutdown). */
  signal?: AbortSignal | undefined;
}

// the page and its scripts come from this server only; it may not be framed (a framed page could
// be tricked into clicking stop)
const securityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * The dashboard as a Hono app: the JSON API and live event stream under `/api` (guarded by the access
 * token), and the built web app for every other path.
 */
export function createDashboardServer(options: DashboardServerOptions): Hono {
  const app = new Hono();
  const context = createDashboardContext(options.board, options.signal ?? new AbortController().signal);
  app.onError((error, c) => renderError(error, c));
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders)) c.res.headers.set(name, value);
  });
  app.use('/api/*', async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'no-store');
  });
  app.use('/api/*', createAccessGuard({ token: options.token, allowedOrigins: options.allowedOrigins }));
  registerReadRoutes(app, context);
  registerEventRoutes(app, context);
  registerControlRoutes(app, context);
  app.all('/api/*', () => {
    throw new ApiError(404, 'not-found', 'no such API route');
  });
  const assets = options.assetsDirectory;
  if (assets && existsSync(join(assets, 'index.html'))) {
    app.use('/assets/*', serveStatic({ root: assets }));
    app.get('/favicon.svg', serveStatic({ root: assets }));
    // every other path is a page of the single-page app
    const indexHtml = readFileSync(join(assets, 'index.html'), 'utf8');
    app.get('*', (c) => c.html(indexHtml));
  } else {
    app.get('*', (c) =>
      c.text(
        'the dashboard web app is not built; run `cadre ui`, which builds it, or see src/server/README.md',
        404,
      ),
    );
  }
  return app;
}
