import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DashboardSettingsError,
  defaultDashboardPort,
  ensureDashboardBuilt,
  startDashboard,
} from '../../server/index.ts';
import { type CliIo, UsageError } from '../cli-io.ts';
import { openRepositoryBoard } from '../fleet-cli.ts';

interface UiFlags {
  db?: string;
  repo?: string;
  port?: string;
  host?: string;
  token?: string;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return defaultDashboardPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be a port number from 0 to 65535 (0 picks a free one), not "${value}"`);
  return port;
}

/** Registers `cadre ui`: the dashboard of a board, served until interrupted. */
export function registerUiCommand(program: Command, io: CliIo) {
  program
    .command('ui')
    .description(
      'serve the dashboard of a board: a live web view of runs, agents, tasks and events, with steering',
    )
    .option('--db <path>', 'board file (default: <repo>/.cadre/board.db)')
    .option('--repo <dir>', 'the repository (default: the current directory)')
    .option('--port <n>', `port (default ${defaultDashboardPort}; 0 picks a free one)`)
    .option('--host <host>', 'address to listen on (default 127.0.0.1; others need --token)')
    .option('--token <token>', 'access token (default: CADRE_UI_TOKEN, else random for this start)')
    .action(async (flags: UiFlags) => {
      const port = parsePort(flags.port);
      const token = flags.token ?? (io.env.CADRE_UI_TOKEN || undefined);
      const board = openRepositoryBoard(io, resolve(io.cwd, flags.repo ?? '.'), flags.db, false);
      try {
        const assetsDirectory = await ensureDashboardBuilt({ signal: io.signal });
        let dashboard: Awaited<ReturnType<typeof startDashboard>>;
        try {
          dashboard = await startDashboard({
            board,
            host: flags.host,
            port,
            token,
            assetsDirectory,
            signal: io.signal,
          });
        } catch (error) {
          if (error instanceof DashboardSettingsError) throw new UsageError(error.message);
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new UsageError(`port ${port} is in use; pick another with --port (0 picks a free one)`);
          throw error;
        }
        io.stdout(`cadre dashboard: ${dashboard.url}\n`);
        io.stderr('open the address above (it carries the access token); Ctrl-C stops the server\n');
        await new Promise<void>((done) => {
          if (io.signal.aborted) done();
          io.signal.addEventListener('abort', () => done(), { once: true });
        });
        await dashboard.close();
      } finally {
        await board.close();
      }
    });
}
