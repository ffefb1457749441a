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
import { createDemoRepository } from '../../orchestrator/demo-repository.ts';
import type { BoardEvent, Cycle, Task } from '../../protocol/index.ts';
import { createGit, gitText } from '../../workspace/index.ts';
import { runCli } from '../testing/run-cli.ts';

/** The four ways cadre reaches a model over HTTP, and how each is pointed at the local server. */
export const wireCases = {
  /** OpenAI Responses; base URL and key from the environment. */
  openai: {
    modelId: (name: string) => `openai:${name}`,
    keyHeader: ['authorization', 'Bearer fake-openai-key'],
    env: (baseURL: string) => ({ OPENAI_API_KEY: 'fake-openai-key', OPENAI_BASE_URL: baseURL }),
    models: (_baseURL: string) => ({}),
  },
  /** OpenAI Chat Completions; base URL from the config, key from the environment. */
  'openai-chat': {
    modelId: (name: string) => `openai-chat:${name}`,
    keyHeader: ['authorization', 'Bearer fake-openai-key'],
    env: (_baseURL: string) => ({ OPENAI_API_KEY: 'fake-openai-key', OPENAI_BASE_URL: '' }),
    models: (baseURL: string) => ({ providers: { openai: { baseURL } } }),
  },
  /** Anthropic Messages (the SDK posts to `<base>/messages`, so the base ends in /v1). */
  anthropic: {
    modelId: (name: string) => `anthropic:${name}`,
    keyHeader: ['x-api-key', 'fake-anthropic-key'],
    env: (baseURL: string) => ({ ANTHROPIC_API_KEY: 'fake-anthropic-key', ANTHROPIC_BASE_URL: baseURL }),
    models: (_baseURL: string) => ({}),
  },
  /** A self-hosted Chat Completions server, configured by name, its key in a variable of its own. */
  'openai-compatible': {
    modelId: (name: string) => `openai-compatible:${name}`,
    keyHeader: ['authorization', 'Bearer fake-local-key'],
    env: (_baseURL: string) => ({ ROLE_PLAY_LOCAL_KEY: 'fake-local-key' }),
    models: (baseURL: string) => ({
      compatible: Object.fromEntries(
        ['role-play', 'rp-unavailable', 'rp-retired', 'rp-revoked'].map((name) => [
          name,
          { baseURL, model: `${name}-served`, apiKeyEnv: 'ROLE_PLAY_LOCAL_KEY' },
        ]),
      ),
    }),
  },
} as const;
/** One of the four wire cases. */
export type WireCaseName = keyof typeof wireCases;

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
}

/** Everything a full run left behind, read back from the CLI, the server, the board and the hub. */
export interface RealHttpFleetRun {
  code: number | null;
  stderr: string;
  /** The `--json` summary of `cadre run`, null when it printed none. */
  summary: {
    status: string;
    runId: string;
    cycles: { n: number; verdict: { continue: boolean } | null }[];
  } | null;
  /** `cadre status --json` after the run. */
  status: { usage: { byRole: Record<string, { inputTokens: number; outputTokens: number }> } } | null;
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

async function writeRepository(options: RealHttpFleetOptions, baseURL: string): Promise<string> {
  const wire = wireCases[options.wire];
  const directory = mkdtempSync(join(options.scratch, `${options.wire}-`));
  const repo = await createDemoRepository({ directory, git, signal, areas: ['api', 'core', 'storage'] });
  const chain = (role: FleetRole) =>
    [options.chainHeads?.[role], rolePlayModel].filter((name) => name !== undefined).map(wire.modelId);
  const config = {
    models: {
      roles: { planner: chain('planner'), worker: chain('worker'), judge: chain('judge') },
      ...wire.models(baseURL),
      retry: { maxAttempts: 3, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
      callTimeoutMs: 10_000,
    },
    fleet: { workers: 4, planners: 2, cycles: 2, maxPlannerDepth: 1 },
  };
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

/**
 * Runs `cadre run --cycles 2 --json` as a separate process against the role-playing server on a
 * fresh demo repository (three areas), then reads back the summary, `cadre status --json`, the
 * server's ledger, the board and the hub.
 */
export async function runRealHttpFleet(options: RealHttpFleetOptions): Promise<RealHttpFleetRun> {
  const server = await startProtocolServer({
    respond: createRolePlayResponder(options.rolePlay),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  try {
    const repo = await writeRepository(options, server.baseURL);
    const env = wireCases[options.wire].env(server.baseURL);
    const goal = 'Add a small helper module to each area of the project';
    const run = await runCli(['run', '--goal', goal, '--cycles', '2', '--json'], { cwd: repo, env });
    const summary = parseJsonOutput<NonNullable<RealHttpFleetRun['summary']>>(run.stdout);
    const status = await runCli(['status', '--json'], { cwd: repo, env });
    return {
      code: run.code,
      stderr: run.stderr,
      summary,
      status: parseJsonOutput(status.stdout),
      server: { requests: [...server.requests], ledger: [...server.ledger] },
      served: summarizeServed(server),
      ...(await readBoard(repo, summary?.runId)),
      ...(await readHub(repo)),
    };
  } finally {
    await server.close();
  }
}
