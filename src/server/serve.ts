import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { TaskBoard } from '../board/index.ts';
import { createAccessToken, isLoopbackHost } from './access-token.ts';
import { createDashboardServer } from './dashboard-server.ts';

/** The port `cadre ui` listens on unless told otherwise. */
export const defaultDashboardPort = 4820;

/** Options of startDashboard. */
export interface StartDashboardOptions {
  board: TaskBoard;
  /** Default 127.0.0.1. Any other address needs a configured token. */
  host?: string | undefined;
  /** Default defaultDashboardPort; 0 picks a free port. */
  port?: number | undefined;
  /** A configured token; without one a random token is made for this start. */
  token?: string | undefined;
  /** The built web app (dist/web). */
  assetsDirectory?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** The address to open, with the token in the fragment (never sent to a server or a log). */
  url: string;
  /** The address without the token. */
  origin: string;
  token: string;
  close(): Promise<void>;
}

/** Refused start-up settings, such as a public address without a configured token. */
export class DashboardSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DashboardSettingsError';
  }
}

/** Checks the token's form: long enough to be a secret, and safe in a URL and a header. */
export function checkConfiguredToken(token: string): void {
  if (!/^[A-Za-z0-9._~-]{16,200}$/.test(token)) {
    throw new DashboardSettingsError('the dashboard token must be 16-200 characters of A-Z a-z 0-9 . _ ~ -');
  }
}

/** Starts the dashboard with @hono/node-server and resolves once it listens. */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const host = options.host ?? '127.0.0.1';
  if (options.token !== undefined) checkConfiguredToken(options.token);
  if (!isLoopbackHost(host) && options.token === undefined) {
    throw new DashboardSettingsError(
      `refusing to listen on ${host} without a configured token: anyone who can reach it could steer and stop agents; set one with --token or CADRE_UI_TOKEN, or listen on 127.0.0.1`,
    );
  }
  const token = options.token ?? createAccessToken();
  const shutdown = new AbortController();
  const app = createDashboardServer({
    board: options.board,
    token,
    assetsDirectory: options.assetsDirectory,
    signal: shutdown.signal,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, hostname: host, port: options.port ?? defaultDashboardPort },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${shownHost}:${address.port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      shutdown.abort();
      server.close(() => resolve());
      // live streams would keep the server open; they end with the shutdown signal, the rest are cut
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    return closing;
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { url: `${origin}/#token=${token}`, origin, token, close };
}
