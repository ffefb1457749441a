import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listAllTasks, openSqliteBoard, readAllEvents } from '../../board/index.ts';
import {
  type ProtocolServer,
  type ProtocolServerOptions,
  startProtocolServer,
} from '../../llm/testing/protocol-server/protocol-server.ts';
import {
  createRolePlayResponder,
  type RolePlayOptions,
  type ServedSummary,
  summarizeServed,
} from '../../llm/testing/role-play/index.ts';
import { createDemoRepository } from '../../orchestrator/index.ts';
import type { BoardEvent, Cycle, Task } from '../../protocol/index.ts';
import { createGit, gitText } from '../../workspace/index.ts';
import { runCli } from '../testing/run-cli.ts';
import { runCliWithin } from './bounded-cli.ts';
import { type WireCaseName, wireCases } from './wire-cases.ts';

export { type WireCaseName, wireCases } from './wire-cases.ts';

type FleetRole = 'planner' | 'worker' | 'judge';

/** What one full run over real HTTP is made of. */
export interface RealHttpFleetOptions {
  wire: WireCaseName;
  /** Where the scratch repository goes. */
  scratch: string;
  rolePlay?: RolePlayOptions;
  faults?: ProtocolServerOptions['faults'];
  /** A model name put before the role-playing one in a role's chain: the fallback is tried when it fails. */
  chainHeads?: Partial<Record<FleetRole, string>>;
  /** A role's whole chain of model names, replacing the head and the role-playing fallback. */
  chains?: Partial<Record<FleetRole, string[]>>;
  /** A role's whole chain as written in the config (engines, other providers), used as it is. */
  rawChains?: Partial<Record<FleetRole, string[]>>;
  /** Variables of the run's environment beside the wire's own (another provider's key and base URL). */
  env?: (baseURL: string) => Record<string, string>;
  /** Top-level keys of the models config (transport, pricing, retry…) that replace the harness's own. */
  models?: Record<string, unknown>;
  /** Keys of the fleet config that replace the harness's own (maxAttempts, workers…). */
  fleet?: Record<string, unknown>;
  /** Where the models are pointed instead of the server, e.g. a port nothing listens on. */
  baseURL?: string;
  /** `--cycles` of the run; 2 unless given. */
  cycles?: number;
  /** The run is killed after this long and `timedOut` says so; 160 s unless given. */
  deadlineMs?: number;
}

/** Totals of one role as `cadre status --json` reports them. */
export interface StatusRoleUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Everything a full run left behind, read back from the CLI, the server, the board and the hub. */
export interface RealHttpFleetRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The run was killed at its deadline: it hung. */
  timedOut: boolean;
  elapsedMs: number;
  /** The `--json` summary of `cadre run`, null when it printed none. */
  summary: {
    status: string;
    runId: string;
    cycles: { n: number; verdict: { continue: boolean } | null }[];
  } | null;
  /** `cadre status --json` after the run. */
  status: {
    run: { status: string };
    /** Tasks counted by status. */
    tasks: Record<string, number>;
    usage: { byRole: Record<string, StatusRoleUsage> };
  } | null;
  /** `cadre log` after the run, as people read it. */
  log: string;
  server: Pick<ProtocolServer, 'requests' | 'ledger'>;
  served: ServedSummary;
  cycles: Cycle[];
  tasks: Task[];
  events: BoardEvent[];
  /** `Cadre-Task` trailers of the hub's main branch, newest first. */
  landedTaskIds: string[];
  /** Commits on the hub's main branch that change no file. */
  emptyCommits: string[];
}

const git = createGit();
const signal = new AbortController().signal;
/** The role-playing model's name; the chain heads are names of models that fail. */
export const rolePlayModel = 'role-play';

/** The JSON a command printed: the whole output, or else its last line (progress may come before it). */
function parseJsonOutput<T>(text: string): T | null {
  for (const candidate of [text, text.trim().split('\n').at(-1) ?? '']) {
    try {
      return JSON.parse(candidate) as T;
    } catch {
      // try the next reading
    }
  }
  return null;
}

function configOf(options: RealHttpFleetOptions, baseURL: string) {
  const wire = wireCases[options.wire];
  const chain = (role: FleetRole) =>
    options.rawChains?.[role] ??
    (options.chains?.[role] ?? [options.chainHeads?.[role], rolePlayModel])
      .filter((name) => name !== undefined)
      .map(wire.modelId);
  return {
    models: {
      roles: { planner: chain('planner'), worker: chain('worker'), judge: chain('judge') },
      ...wire.models(baseURL),
      retry: { maxAttempts: 3, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
      callTimeoutMs: 10_000,
      ...options.models,
    },
    fleet: { workers: 4, planners: 2, cycles: 2, maxPlannerDepth: 1, ...options.fleet },
  };
}

async function writeRepository(options: RealHttpFleetOptions, baseURL: string): Promise<string> {
  const directory = mkdtempSync(join(options.scratch, `${options.wire}-`));
  const repo = await createDemoRepository({ directory, git, signal, areas: ['api', 'core', 'storage'] });
  const config = configOf(options, baseURL);
  writeFileSync(join(repo, 'cadre.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await git(['add', 'cadre.config.json'], { cwd: repo, signal });
  await git(['commit', '--quiet', '--message', 'Point cadre at the role-playing model'], {
    cwd: repo,
    signal,
  });
  return repo;
}

async function readHub(repo: string): Promise<{ landedTaskIds: string[]; emptyCommits: string[] }> {
  const cwd = join(repo, '.cadre', 'hub.git');
  const trailers = await gitText(
    git,
    ['log', '--format=%(trailers:key=Cadre-Task,valueonly,separator=)', 'main'],
    { cwd, signal },
  );
  // every commit's name list follows its @hash line; an empty commit has none
  const names = await gitText(git, ['log', '--format=@%H', '--name-only', 'main'], { cwd, signal });
  const emptyCommits = names
    .split('@')
    .map((block) => block.trim().split('\n').filter(Boolean))
    .filter((lines) => lines.length === 1)
    .map((lines) => lines[0] as string);
  return { landedTaskIds: trailers.split('\n').filter(Boolean), emptyCommits };
}

async function readBoard(repo: string, runId: string | undefined) {
  const board = openSqliteBoard({ path: join(repo, '.cadre', 'board.db'), create: false });
  try {
    const id = runId ?? (await board.listRuns({ limit: 1 }))[0]?.id;
    if (id === undefined) return { cycles: [], tasks: [], events: [] };
    const [cycles, tasks, events] = await Promise.all([
      board.listCycles(id),
      listAllTasks(board, { runId: id }),
      readAllEvents(board, { runId: id }),
    ]);
    return { cycles, tasks, events };
  } finally {
    await board.close();
  }
}

/** Runs the CLI's `run`, then `status --json` and `log`, each as its own process. */
async function runCadre(options: RealHttpFleetOptions, repo: string, env: NodeJS.ProcessEnv) {
  const goal = 'Add a small helper module to each area of the project';
  const cycles = String(options.cycles ?? 2);
  const run = await runCliWithin(['run', '--goal', goal, '--cycles', cycles, '--json'], {
    cwd: repo,
    env,
    deadlineMs: options.deadlineMs ?? 160_000,
  });
  const [status, log] = await Promise.all([
    runCli(['status', '--json'], { cwd: repo, env }),
    runCli(['log'], { cwd: repo, env }),
  ]);
  return { run, status: parseJsonOutput<RealHttpFleetRun['status']>(status.stdout), log: log.stdout };
}

/**
 * Runs `cadre run --cycles 2 --json` (or as many cycles as asked) as a separate process against the
 * role-playing server on a fresh demo repository (three areas), under a deadline, then reads back the
 * summary, `cadre status --json`, `cadre log`, the server's ledger, the board and the hub.
 */
export async function runRealHttpFleet(options: RealHttpFleetOptions): Promise<RealHttpFleetRun> {
  const server = await startProtocolServer({
    respond: createRolePlayResponder(options.rolePlay),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  try {
    const baseURL = options.baseURL ?? server.baseURL;
    const repo = await writeRepository(options, baseURL);
    const env = { ...wireCases[options.wire].env(baseURL), ...options.env?.(baseURL) };
    const { run, status, log } = await runCadre(options, repo, env);
    const summary = parseJsonOutput<NonNullable<RealHttpFleetRun['summary']>>(run.stdout);
    return {
      ...run,
      summary,
      status,
      log,
      server: { requests: [...server.requests], ledger: [...server.ledger] },
      served: summarizeServed(server),
      ...(await readBoard(repo, summary?.runId)),
      ...(await readHub(repo)),
    };
  } finally {
    await server.close();
  }
}
