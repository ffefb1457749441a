import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A PostgreSQL server of its own in a temp dir, for tests and benchmarks; gone after `stop`. */
export interface ThrowawayCluster {
  /** Connection string of the `postgres` database (superuser, trust authentication, loopback TCP). */
  url: string;
  /** The temp dir holding the data directory, the log and the unix socket. */
  directory: string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name?: string): Promise<string>;
  /** Restarts the server (fast shutdown: every open connection is cut), same port and data. */
  restart(): Promise<void>;
  /** Stops the server at once and deletes its files. */
  stop(): Promise<void>;
}

/** Options for starting a throwaway cluster. */
export interface ThrowawayClusterOptions {
  /** The directory holding initdb and pg_ctl; default: the newest /usr/lib/postgresql/<version>/bin. */
  binDirectory?: string;
  /** Keep fsync and full_page_writes on, as PostgreSQL ships them (benchmarks); default off, for tests. */
  durable?: boolean;
}

/** Debian's postgresql package is not installed; the message says how to fix that. */
export class PostgresBinariesMissingError extends Error {
  constructor(where: string) {
    super(
      `PostgreSQL server binaries (initdb, pg_ctl) were not found in ${where}. ` +
        'The PostgreSQL board tests and `cadre bench board --backend postgres` start their own server: ' +
        'install it with `apt-get install postgresql` (CI does this in .ci/run), or pass --board URL to the bench.',
    );
    this.name = 'PostgresBinariesMissingError';
  }
}

/** Finds Debian's server binaries, newest version first; throws PostgresBinariesMissingError. */
export function findPostgresBinaries(binDirectory?: string): string {
  const root = '/usr/lib/postgresql';
  const candidates = binDirectory
    ? [binDirectory]
    : existsSync(root)
      ? readdirSync(root)
          .filter((version) => /^\d+$/.test(version))
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => join(root, version, 'bin'))
      : [];
  const found = candidates.find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
  if (!found) throw new PostgresBinariesMissingError(binDirectory ?? `${root}/*/bin`);
  return found;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * initdb refuses to run as root, so as root the server runs as the `postgres` OS user (Debian's
 * package creates it) over a temp dir handed to that user; anyone else runs it as themselves.
 */
function serverUser(directory: string): (command: string, args: string[]) => [string, string[]] {
  if (process.getuid?.() !== 0) return (command, args) => [command, args];
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(directory, uid, gid);
  return (command, args) => ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

/**
 * Starts a throwaway PostgreSQL server from Debian's binaries: initdb in a temp dir, pg_ctl on a
 * free loopback port with its unix socket in the same dir, fsync off (the data is thrown away)
 * unless `durable` is set.
 */
export async function startThrowawayCluster(
  options: ThrowawayClusterOptions = {},
): Promise<ThrowawayCluster> {
  const bin = findPostgresBinaries(options.binDirectory);
  const directory = mkdtempSync(join(tmpdir(), 'cadre-postgres-'));
  const data = join(directory, 'data');
  const as = serverUser(directory);
  const pgCtl = (...args: string[]) => {
    const [command, argv] = as(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      join(directory, 'server.log'),
      ...args,
    ]);
    return run(command, argv);
  };
  const port = await freeLoopbackPort();
  const [initCommand, initArgs] = as(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const settings = [
    `-p ${port}`,
    `-k ${directory}`,
    '-c listen_addresses=127.0.0.1',
    ...(options.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
    '-c max_connections=200',
  ].join(' ');
  const stopNow = () => {
    const [command, argv] = as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
    try {
      execFileSync(command, argv, { stdio: 'ignore' });
    } catch {
      // not running
    }
    rmSync(directory, { recursive: true, force: true });
  };
  // a test process that dies must not leave a server behind
  process.once('exit', stopNow);
  try {
    await run(initCommand, initArgs);
    await pgCtl('-w', '-o', settings, 'start');
  } catch (error) {
    stopNow();
    process.removeListener('exit', stopNow);
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    directory,
    async createDatabase(name) {
      const database = name ?? `board_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    },
    async restart() {
      await pgCtl('-w', '-m', 'fast', 'restart');
    },
    async stop() {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}
