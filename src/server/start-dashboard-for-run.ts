import type { TaskBoard } from '../board/index.ts';
import { ensureDashboardBuilt } from './build-dashboard.ts';
import { startDashboard } from './serve.ts';

/** Where startDashboardForRun reports; the CLI's io fits. */
export interface DashboardIo {
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** Options of startDashboardForRun. */
export interface StartDashboardForRunOptions {
  board: TaskBoard;
  io: DashboardIo;
  port?: number | undefined;
  host?: string | undefined;
  /** Default: CADRE_UI_TOKEN from the environment, else a random token. */
  token?: string | undefined;
}

/**
 * Starts the dashboard next to a run in the same process (`cadre run --ui`): builds the web app if
 * needed, listens, and prints the address with its token on stderr. Closes when the io's signal aborts.
 */
export async function startDashboardForRun(
  options: StartDashboardForRunOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const { io } = options;
  const assetsDirectory = await ensureDashboardBuilt({ signal: io.signal });
  const dashboard = await startDashboard({
    board: options.board,
    host: options.host,
    port: options.port,
    token: options.token ?? (io.env.CADRE_UI_TOKEN || undefined),
    assetsDirectory,
    signal: io.signal,
  });
  io.stderr(`dashboard: ${dashboard.url}\n`);
  return { url: dashboard.url, close: dashboard.close };
}
